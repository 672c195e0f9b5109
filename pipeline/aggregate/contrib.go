package aggregate

// contribSet holds the distinct contributors of a cohort as keyed 64-bit
// hashes: exactly (inline, then in an open-addressing table) up to the
// configured limit, then as a HyperLogLog sketch. Because it only switches
// to the sketch past the limit, which is at least k, whether a cohort has k
// contributors is always decided on an exact count (hash collisions can only
// merge two contributors, never add one).
type contribSet struct {
	small [2]uint64 // the first hashes, while n <= 2 and tab is nil
	n     int32     // exact count while hll is nil
	tab   []uint64  // open addressing, power-of-two length, 0 = empty
	hll   *hll
}

// setParams are the aggregator-wide limits a contribSet needs.
type setParams struct {
	limit     int // exact limit
	precision int
}

// nonzero maps the hash 0, which marks empty slots, to 1.
func nonzero(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// add records hash h and reports whether it was new (always true once the
// set is a sketch, whose count is an estimate).
func (s *contribSet) add(h uint64, sp *setParams) bool {
	if s.hll != nil {
		s.hll.add(h)
		return true
	}
	h = nonzero(h)
	if s.tab == nil {
		for i := int32(0); i < s.n; i++ {
			if s.small[i] == h {
				return false
			}
		}
		if s.n < int32(len(s.small)) {
			s.small[s.n] = h
			s.n++
			return true
		}
		s.tab = make([]uint64, 8)
		for _, x := range s.small {
			tabInsert(s.tab, x)
		}
		s.small = [2]uint64{}
	}
	if !tabInsert(s.tab, h) {
		return false
	}
	s.n++
	if int(s.n) > sp.limit {
		s.toSketch(sp)
	} else if int(s.n)*4 > len(s.tab)*3 {
		s.grow()
	}
	return true
}

// tabInsert inserts h into the table (which has a free slot) and reports
// whether it was absent.
func tabInsert(tab []uint64, h uint64) bool {
	mask := uint64(len(tab) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch tab[i] {
		case h:
			return false
		case 0:
			tab[i] = h
			return true
		}
	}
}

func (s *contribSet) grow() {
	old := s.tab
	s.tab = make([]uint64, 2*len(old))
	for _, x := range old {
		if x != 0 {
			tabInsert(s.tab, x)
		}
	}
	clear(old)
}

func (s *contribSet) toSketch(sp *setParams) {
	s.hll = newHLL(sp.precision)
	s.each(s.hll.add)
	s.zeroExact()
}

// each calls f with every exact hash.
func (s *contribSet) each(f func(uint64)) {
	if s.tab == nil {
		for i := int32(0); i < s.n; i++ {
			f(s.small[i])
		}
		return
	}
	for _, x := range s.tab {
		if x != 0 {
			f(x)
		}
	}
}

// merge adds every contributor of o to s.
func (s *contribSet) merge(o *contribSet, sp *setParams) {
	if o.hll != nil {
		if s.hll == nil {
			s.toSketch(sp)
		}
		s.hll.merge(o.hll)
		return
	}
	o.each(func(h uint64) { s.add(h, sp) })
}

// count returns the number of distinct contributors and whether it is
// exact. A sketch's estimate is raised to limit+1, since the exact count
// passed limit before it became a sketch.
func (s *contribSet) count(sp *setParams) (int64, bool) {
	if s.hll == nil {
		return int64(s.n), true
	}
	e := int64(s.hll.estimate() + 0.5)
	return max(e, int64(sp.limit)+1), false
}

// zeroExact erases the exact hashes.
func (s *contribSet) zeroExact() {
	s.small = [2]uint64{}
	clear(s.tab)
	s.tab = nil
	s.n = 0
}

// zero erases everything the set holds.
func (s *contribSet) zero() {
	s.zeroExact()
	if s.hll != nil {
		s.hll.zero()
		s.hll = nil
	}
}
