package policy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/veilstream/veil/classifiers"
)

// ActionKind is what an output does with a value.
type ActionKind string

// The action kinds.
const (
	// Keep passes the value through unchanged.
	Keep ActionKind = "keep"
	// Drop removes the field (or the finding's whole value).
	Drop ActionKind = "drop"
	// Redact replaces the value with a marker naming its entity type or
	// category, such as "[EMAIL_ADDRESS]".
	Redact ActionKind = "redact"
	// Mask keeps the last MaskKeep letters or digits and replaces the other
	// letters and digits with '*'.
	Mask ActionKind = "mask"
	// Hash replaces the value with a keyed pseudonym (HMAC-SHA256 under a
	// per-customer key that rotates every Rotation period).
	Hash ActionKind = "hash"
	// Generalize coarsens the value with the Generalizer named in the action.
	Generalize ActionKind = "generalize"
	// Scrub keeps free text but replaces each finding inside it with its
	// marker.
	Scrub ActionKind = "scrub"
)

// ActionKinds lists every action kind, from the one that lets the least
// through (drop) to the one that lets the most through (keep).
var ActionKinds = []ActionKind{Drop, Redact, Hash, Mask, Generalize, Scrub, Keep}

// rank orders kinds by how much of the value they let through; the lower,
// the stricter. Unknown kinds rank as drop.
func (k ActionKind) rank() int {
	switch k {
	case Redact:
		return 1
	case Hash:
		return 2
	case Mask:
		return 3
	case Generalize:
		return 4
	case Scrub:
		return 5
	case Keep:
		return 6
	}
	return 0
}

// Valid reports whether k is a known action kind.
func (k ActionKind) Valid() bool {
	for _, e := range ActionKinds {
		if e == k {
			return true
		}
	}
	return false
}

// Generalizer names how a Generalize action coarsens a value.
type Generalizer string

// The generalizers.
const (
	// GeneralizeIPPrefix keeps the network prefix of an IP address
	// (IPv4Bits / IPv6Bits long).
	GeneralizeIPPrefix Generalizer = "ip_prefix"
	// GeneralizePostalPrefix keeps a coarse per-country prefix of a postal
	// code (US ZIP3, Canadian FSA, UK outward area and district, …).
	GeneralizePostalPrefix Generalizer = "postal_prefix"
	// GeneralizeTimeBucket truncates a timestamp to TimeUnit.
	GeneralizeTimeBucket Generalizer = "time_bucket"
	// GeneralizeAgeBand replaces an age (or birth year) by an age band such
	// as "25-34".
	GeneralizeAgeBand Generalizer = "age_band"
	// GeneralizeURL drops a URL's userinfo, query and fragment and replaces
	// path segments that look like identifiers.
	GeneralizeURL Generalizer = "url"
	// GeneralizeUserAgent reduces a User-Agent to browser family and major
	// version plus OS family.
	GeneralizeUserAgent Generalizer = "user_agent"
	// GeneralizeCoarseLocation reduces a location to its country.
	GeneralizeCoarseLocation Generalizer = "coarse_location"
)

// Generalizers lists every generalizer in a stable order.
var Generalizers = []Generalizer{
	GeneralizeIPPrefix, GeneralizePostalPrefix, GeneralizeTimeBucket,
	GeneralizeAgeBand, GeneralizeURL, GeneralizeUserAgent, GeneralizeCoarseLocation,
}

// Valid reports whether g is a known generalizer.
func (g Generalizer) Valid() bool {
	for _, e := range Generalizers {
		if e == g {
			return true
		}
	}
	return false
}

// Applies reports whether g understands values of category c. A generalizer
// applied to anything else would pass the value through unchanged or fail,
// so Validate rejects such pairs.
func (g Generalizer) Applies(c classifiers.Category) bool {
	switch g {
	case GeneralizeIPPrefix:
		return c == classifiers.NetworkIdentifier
	case GeneralizePostalPrefix:
		return c == classifiers.PreciseLocation
	case GeneralizeTimeBucket:
		return c == classifiers.Navigation || c == classifiers.Demographics || c == classifiers.NonPersonal
	case GeneralizeAgeBand:
		return c == classifiers.Demographics
	case GeneralizeURL:
		return c == classifiers.Navigation
	case GeneralizeUserAgent:
		return c == classifiers.Device
	case GeneralizeCoarseLocation:
		return c == classifiers.PreciseLocation || c == classifiers.CoarseLocation
	}
	return false
}

// TimeUnit is the bucket a time_bucket generalizer truncates to.
type TimeUnit string

// The time units.
const (
	TimeHour  TimeUnit = "hour"
	TimeDay   TimeUnit = "day"
	TimeMonth TimeUnit = "month"
)

// Rotation is how often the key behind a Hash action changes. Pseudonyms
// made in different periods cannot be linked.
type Rotation string

// The rotations, shortest first.
const (
	RotateDay   Rotation = "day"
	RotateWeek  Rotation = "week"
	RotateMonth Rotation = "month"
)

// Days returns the rotation's length in whole days (month counts as 31),
// or 0 for an unknown rotation.
func (r Rotation) Days() int { return r.days() }

func (r Rotation) days() int {
	switch r {
	case RotateDay:
		return 1
	case RotateWeek:
		return 7
	case RotateMonth:
		return 31
	}
	return 0
}

// Limits on action parameters. A prefix longer than these would keep a
// (nearly) whole address; a mask keeping more would let six digits of a
// number survive contiguously.
const (
	MaxIPv4Bits = 24
	MaxIPv6Bits = 64
	MaxMaskKeep = 4
)

// Defaults that Parse fills in when an ip_prefix action omits its lengths.
const (
	DefaultIPv4Bits = 24
	DefaultIPv6Bits = 48
)

// Action is what to do with one value: a kind, plus the parameters that
// kind uses. Parameters that the kind does not use must be zero.
type Action struct {
	Kind ActionKind
	// Generalize names the generalizer of a Generalize action.
	Generalize Generalizer
	// IPv4Bits and IPv6Bits are the prefix lengths an ip_prefix generalizer
	// keeps (0..MaxIPv4Bits, 0..MaxIPv6Bits).
	IPv4Bits int
	IPv6Bits int
	// TimeUnit is the bucket of a time_bucket generalizer.
	TimeUnit TimeUnit
	// MaskKeep is how many trailing letters or digits a Mask keeps
	// (0..MaxMaskKeep).
	MaskKeep int
	// Rotation is the key period of a Hash.
	Rotation Rotation
}

// String renders a in the compact form used by the golden table and error
// messages, e.g. "generalize(ip_prefix, ipv4_bits=24, ipv6_bits=48)".
func (a Action) String() string {
	var b strings.Builder
	b.WriteString(string(a.Kind))
	var params []string
	if a.Generalize != "" {
		params = append(params, string(a.Generalize))
	}
	if a.Generalize == GeneralizeIPPrefix || a.IPv4Bits != 0 || a.IPv6Bits != 0 {
		params = append(params, "ipv4_bits="+strconv.Itoa(a.IPv4Bits), "ipv6_bits="+strconv.Itoa(a.IPv6Bits))
	}
	if a.TimeUnit != "" {
		params = append(params, "unit="+string(a.TimeUnit))
	}
	if a.Kind == Mask || a.MaskKeep != 0 {
		params = append(params, "keep_last="+strconv.Itoa(a.MaskKeep))
	}
	if a.Rotation != "" {
		params = append(params, "rotation="+string(a.Rotation))
	}
	if len(params) > 0 {
		b.WriteByte('(')
		b.WriteString(strings.Join(params, ", "))
		b.WriteByte(')')
	}
	return b.String()
}

// Validate checks that a is well formed on its own: a known kind, the
// parameters its kind needs within their limits, and no parameter its kind
// does not use. Whether a is allowed for a category and purpose is checked
// by Policy.Validate.
func (a Action) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !a.Kind.Valid() {
		if a.Kind == "" {
			bad("missing action kind (one of %v)", ActionKinds)
		} else {
			bad("unknown action kind %q (one of %v)", a.Kind, ActionKinds)
		}
		return errors.Join(errs...)
	}
	isGen := a.Kind == Generalize
	if isGen && !a.Generalize.Valid() {
		if a.Generalize == "" {
			bad("generalize needs a generalizer (one of %v)", Generalizers)
		} else {
			bad("unknown generalizer %q (one of %v)", a.Generalize, Generalizers)
		}
	}
	if !isGen && a.Generalize != "" {
		bad("generalizer %q only applies to generalize, not %s", a.Generalize, a.Kind)
	}
	ip := isGen && a.Generalize == GeneralizeIPPrefix
	if ip {
		if a.IPv4Bits < 0 || a.IPv4Bits > MaxIPv4Bits {
			bad("ipv4_bits %d out of range 0..%d", a.IPv4Bits, MaxIPv4Bits)
		}
		if a.IPv6Bits < 0 || a.IPv6Bits > MaxIPv6Bits {
			bad("ipv6_bits %d out of range 0..%d", a.IPv6Bits, MaxIPv6Bits)
		}
	} else if a.IPv4Bits != 0 || a.IPv6Bits != 0 {
		bad("ipv4_bits/ipv6_bits only apply to generalize ip_prefix")
	}
	tb := isGen && a.Generalize == GeneralizeTimeBucket
	switch {
	case tb && a.TimeUnit != TimeHour && a.TimeUnit != TimeDay && a.TimeUnit != TimeMonth:
		bad("time_bucket needs unit hour, day or month, got %q", a.TimeUnit)
	case !tb && a.TimeUnit != "":
		bad("unit only applies to generalize time_bucket")
	}
	switch {
	case a.Kind == Mask && (a.MaskKeep < 0 || a.MaskKeep > MaxMaskKeep):
		bad("keep_last %d out of range 0..%d", a.MaskKeep, MaxMaskKeep)
	case a.Kind != Mask && a.MaskKeep != 0:
		bad("keep_last only applies to mask")
	}
	switch {
	case a.Kind == Hash && a.Rotation.days() == 0:
		bad("hash needs rotation day, week or month, got %q", a.Rotation)
	case a.Kind != Hash && a.Rotation != "":
		bad("rotation only applies to hash")
	}
	return errors.Join(errs...)
}

// stricter returns whichever of a and b lets less of a value through. Two
// hashes resolve to the shorter rotation and two masks to the shorter kept
// tail; two different generalizations cannot be ordered and resolve to drop.
func stricter(a, b Action) Action {
	if a == b {
		return a
	}
	ra, rb := a.Kind.rank(), b.Kind.rank()
	switch {
	case ra < rb:
		return a
	case rb < ra:
		return b
	}
	switch a.Kind {
	case Hash:
		if a.Rotation.days() <= b.Rotation.days() {
			return a
		}
		return b
	case Mask:
		if a.MaskKeep <= b.MaskKeep {
			return a
		}
		return b
	}
	return Action{Kind: Drop}
}
