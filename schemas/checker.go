package schemas

import "github.com/veilstream/veil/pipeline/jsonwalk"

// Checker checks one event against a schema member by member, from inside a
// jsonwalk callback, and tracks required members per object so that it can
// report missing ones: a required member is missing when the object that
// should hold it is present and does not. A caller that already walks the
// event (the sanitizer) classifies and checks each member with one Visit
// call instead of a second pass.
//
// A Checker is reused across events (Reset) and makes no allocation on
// valid events; it is not safe for concurrent use: keep one per goroutine.
type Checker struct {
	s      *Schema
	stack  []frame // stack[d] is the open container at depth d; stack[0] the event
	pushed bool    // the last Visit opened a container
}

type frame struct {
	n    *node  // nil inside members the schema does not name
	seen uint64 // required members seen, by reqBit
	req  bool   // required members are checked when the frame closes
	next int    // where in n.list the next member is expected
}

// Reset starts checking a new event against s.
func (c *Checker) Reset(s *Schema) {
	c.s = s
	c.stack = append(c.stack[:0], frame{n: s.root, req: s.root.reqMask != 0})
	c.pushed = false
}

// Visit classifies and checks the member or element a jsonwalk callback is
// visiting. It returns what the schema says about it (nil and false for a
// member the schema does not name; the Field belongs to the Schema and must
// not be modified) and the first violation found: a wrong JSON
// type or a value outside the enum, a member the enclosing object does not
// accept, or a required member missing from an object that closed since the
// previous call. Violations are *ViolationError values naming schema paths,
// never the event's keys or values.
//
// Visit must see the members of the event in order. When the caller drops
// or replaces a container it visited, so that its contents are not walked,
// it calls Skip right after.
func (c *Checker) Visit(p *jsonwalk.Path, v *jsonwalk.Value) (*Field, bool, error) {
	c.pushed = false
	d := p.Len()
	if c.s == nil || d == 0 {
		return nil, false, nil
	}
	var err error
	if len(c.stack) > d {
		err = c.close(d)
	}
	if len(c.stack) < d {
		// The parent was not tracked (a Skip the caller then walked into
		// anyway): treat the member as unnamed.
		return nil, false, err
	}
	parent := &c.stack[d-1]
	var n *node
	if pn := parent.n; pn != nil {
		seg := p.At(d - 1)
		if seg.IsIndex {
			n = pn.items
		} else {
			var ok bool
			var at int
			n, at, ok = pn.childAt(seg.Key, parent.next)
			if at >= 0 {
				parent.next = at + 1
			}
			switch {
			case n == nil && !ok:
				err = first(err, &ViolationError{Schema: c.s.id, Path: pn.field.Path, Reason: ReasonAdditional})
			case n != nil && n.reqBit >= 0:
				parent.seen |= 1 << uint(n.reqBit)
			}
		}
	}
	container := v.Kind == jsonwalk.Object || v.Kind == jsonwalk.Array
	if n == nil {
		if container {
			c.push(nil, false)
		}
		return nil, false, err
	}
	if e := n.check(v, c.s.id); e != nil {
		err = first(err, e)
		if container {
			c.push(nil, false) // its members would only repeat the mismatch
		}
		return &n.field, true, err
	}
	if container {
		c.push(n, v.Kind == jsonwalk.Object && n.reqMask != 0)
	}
	return &n.field, true, err
}

func (c *Checker) push(n *node, req bool) {
	c.stack = append(c.stack, frame{n: n, req: req})
	c.pushed = true
}

// Skip tells the Checker that the container the last Visit call showed will
// not be walked (the caller dropped or replaced it), so its required
// members are not reported missing.
func (c *Checker) Skip() {
	if c.pushed {
		top := &c.stack[len(c.stack)-1]
		top.n, top.req = nil, false
		c.pushed = false
	}
}

// Finish reports the first required member missing from the objects still
// open, the event itself included, once the walk is over.
func (c *Checker) Finish() error {
	if c.s == nil {
		return nil
	}
	err := c.close(0)
	c.s = nil
	return err
}

// close pops the frames at depth d and below, checking their required
// members, and returns the first one missing.
func (c *Checker) close(d int) error {
	var err error
	for i := len(c.stack) - 1; i >= d; i-- {
		f := &c.stack[i]
		if !f.req || err != nil {
			continue
		}
		if missing := f.n.reqMask &^ f.seen; missing != 0 {
			err = &ViolationError{Schema: c.s.id, Path: f.n.requiredPath(missing), Reason: ReasonRequired}
		}
	}
	c.stack = c.stack[:d]
	return err
}

// requiredPath returns the schema path of the first required member whose
// bit is set in missing.
func (n *node) requiredPath(missing uint64) string {
	for i, name := range n.required {
		if missing&(1<<uint(i)) != 0 {
			return joinPath(n.field.Path, name)
		}
	}
	return n.field.Path
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

func first(err, e error) error {
	if err != nil {
		return err
	}
	return e
}
