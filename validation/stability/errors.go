package stability

import "errors"

// ErrUnusable classifies the errors about study files that cannot be used
// as they are: a journal that is damaged or of another format, a journal
// of another study (*MismatchError) or re-opened for fewer seeds
// (*RangeError), journals of different studies or with
// overlapping seeds, a shard's journal or seeds missing, a folder that does
// not exist or holds no journal. errors.Is(err, ErrUnusable) reports them;
// the files must be fixed or chosen again, and running again does not
// help. Failures to read or write the file system, and a journal locked by
// another process, are not in this class.
var ErrUnusable = errors.New("unusable study files")

// unusableError marks err as one of the class ErrUnusable; its message is
// err's.
type unusableError struct{ err error }

func (e *unusableError) Error() string        { return e.err.Error() }
func (e *unusableError) Unwrap() error        { return e.err }
func (e *unusableError) Is(target error) bool { return target == ErrUnusable }

// unusable returns err marked as of the class ErrUnusable.
func unusable(err error) error { return &unusableError{err} }
