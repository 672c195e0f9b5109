package stream

import "errors"

// Transform turns one raw event into the event for one output, appending it
// to dst. out must be dst with the event appended (as strconv.AppendInt
// does); the bytes of dst before len(dst) must not be changed.
//
// A returned [*Reject] (possibly wrapped) routes the event to the dead-letter
// sink with its reason; it is then forwarded to no output at all. Any other
// error is fatal for the processor: the batch is not committed and Run
// returns the error.
//
// A Transform is used by one goroutine at a time: the runtime makes one per
// claimed partition with [Output].NewTransform. Slices in the returned Meta
// may point into the Transform's own scratch memory; the runtime copies them
// before the next call.
type Transform interface {
	Transform(dst []byte, rec *Record) (out []byte, meta Meta, err error)
}

// BatchStarter is implemented by a Transform whose configuration can change
// while the processor runs (a hot-reloaded policy or rule set). The runtime
// calls BeginBatch before the first event of every batch of the claim, and
// the Transform must then use one configuration for every event of that
// batch, so that a batch is never processed half with one configuration and
// half with another.
//
// version names the configuration the batch will be processed with: it is
// written to the [HeaderPolicyVersion] header of the batch's records instead
// of [Output].PolicyVersion (which an empty version stands for). An error is fatal, as from
// Transform: the batch is not committed and Run returns it.
//
// BeginBatch is called by the goroutine that then calls Transform; a
// Transform handed to several claims (see [Shared]) must make it safe for
// concurrent use.
type BatchStarter interface {
	BeginBatch() (version string, err error)
}

// Meta is what a Transform reports besides the output event.
type Meta struct {
	// Actions is the value of the [HeaderActions] header: each path acted on
	// with its entity type and action, never a value. Empty means no header.
	Actions []byte
	// Skip filters the event out of this output (it is not an error and does
	// not dead-letter the event).
	Skip bool
	// SetKey replaces the output record's key with Key (nil Key means no
	// key). When false the input key is kept.
	SetKey bool
	// Key is the output key when SetKey is true.
	Key []byte
}

// Reject is the error a Transform returns for an event that must go to the
// dead-letter sink: malformed input, a schema violation, an unclassifiable
// value.
type Reject struct {
	// Reason is written to the [HeaderDLQReason] header. It must not contain
	// personal data from the event.
	Reason string
}

// Error returns "rejected: " and the reason.
func (r *Reject) Error() string { return "rejected: " + r.Reason }

// AsReject reports whether err is, or wraps, a *Reject and returns it.
func AsReject(err error) (*Reject, bool) {
	var r *Reject
	if errors.As(err, &r) {
		return r, true
	}
	return nil, false
}

// TransformFactory makes a Transform for one claimed partition.
type TransformFactory func() (Transform, error)

// Shared returns a factory that hands out t itself, for a Transform that is
// safe for concurrent use.
func Shared(t Transform) TransformFactory {
	return func() (Transform, error) { return t, nil }
}

// TransformFunc adapts a function to the Transform interface.
type TransformFunc func(dst []byte, rec *Record) ([]byte, Meta, error)

// Transform calls f.
func (f TransformFunc) Transform(dst []byte, rec *Record) ([]byte, Meta, error) {
	return f(dst, rec)
}
