package stream

import (
	"errors"
	"fmt"
	"time"
)

// Defaults for [Config].
const (
	// DefaultMaxEventBytes keeps an event, with its key and veil's headers,
	// under the 1 MiB a Kafka broker accepts in one produce batch.
	DefaultMaxEventBytes = 900 << 10
	// DefaultShutdownGrace is how long Run may drain after its context ends.
	DefaultShutdownGrace = 30 * time.Second
)

// Config tunes the processing loop. The zero value means the defaults.
type Config struct {
	// MaxEventBytes is the largest event (key plus value) processed, and the
	// largest output event forwarded; larger ones are dead-lettered with
	// reason "too-large". Default DefaultMaxEventBytes.
	MaxEventBytes int `yaml:"max_event_bytes"`
	// ShutdownGrace bounds how long Run drains in-flight batches and commits
	// after its context is cancelled; past it, in-flight writes are abandoned
	// (uncommitted, so re-delivered later) and Run returns ErrGraceExceeded.
	// Default DefaultShutdownGrace.
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
}

// Validate reports every invalid field, naming its key.
func (c Config) Validate() error {
	var errs []error
	if c.MaxEventBytes < 0 {
		errs = append(errs, fmt.Errorf("max_event_bytes: %d is negative", c.MaxEventBytes))
	}
	if c.ShutdownGrace < 0 {
		errs = append(errs, fmt.Errorf("shutdown_grace: %s is negative", c.ShutdownGrace))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.MaxEventBytes == 0 {
		c.MaxEventBytes = DefaultMaxEventBytes
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	return c
}
