//go:build race

package validate

// raceEnabled reports a build with the race detector, under which
// sync.Pool drops items at random (so pooled buffers and regexp machines
// allocate) and every check runs several times slower.
const raceEnabled = true
