package markets

// SetGeneralGoods makes GoodsMarket use its general loop for two-firm
// lists too (on = true) and returns a function restoring the setting.
func SetGeneralGoods(on bool) (restore func()) {
	old := generalGoods
	generalGoods = on
	return func() { generalGoods = old }
}
