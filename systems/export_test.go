package systems

// SetGeneralPaths switches the default-parameter fast paths off (true) or
// on and returns a function that restores the previous setting.
func SetGeneralPaths(on bool) (restore func()) {
	old := generalPaths
	generalPaths = on
	return func() { generalPaths = old }
}
