package runner

import (
	"context"
	"fmt"
	"time"
)

// ReloadResult is what one reload attempt did.
type ReloadResult struct {
	// Version is the configuration in force after the attempt.
	Version string
	// Previous is the configuration in force before it; equal to Version
	// when nothing changed (the files hold the version in force, or they
	// were refused).
	Previous string
	// Files is the version the files held, "" when they could not be read.
	Files string
	// Err is why the files were refused, nil when their version is in force.
	// It names the file, line and reason; it never holds event contents.
	Err error
}

// Changed reports whether the attempt put a new configuration in force.
func (r ReloadResult) Changed() bool { return r.Version != r.Previous }

// Reload reads the rules directory, the schemas directory and the policy
// file, compiles them and, if they are valid, puts them in force: every
// batch that starts afterwards is processed with them and its records carry
// their version, while batches already started finish with the previous
// one. Invalid files (a rule, schema or policy error, a policy without a
// configured output's purpose) are refused: the configuration in force
// stays, and the error says why. Reloading files that hold the version in
// force changes nothing and returns nil. SIGHUP calls it; it is safe to call
// at any time, from any goroutine, also while Run polls the files.
func (r *Runner) Reload() error { return r.reload(true) }

// reload is Reload; when force is false it does nothing if the files read
// the same as at the last attempt, so that polling refuses (and logs and
// counts) each bad version once.
func (r *Runner) reload(force bool) error {
	r.reloadMu.Lock()
	defer r.reloadMu.Unlock()
	cur := r.gens.Load()
	res := ReloadResult{Version: cur.version, Previous: cur.version}
	src, err := r.loader.read()
	if err != nil {
		seen := "error: " + err.Error()
		if !force && seen == r.seen {
			return nil
		}
		r.seen = seen
		res.Err = err
		return r.refuse(res)
	}
	res.Files = src.version()
	if !force && res.Files == r.seen {
		return nil
	}
	r.seen = res.Files
	if res.Files == cur.version {
		r.log.Info("reload: the files hold the configuration in force", "version", cur.version)
		r.report(res)
		return nil
	}
	start := time.Now()
	g, err := r.loader.compile(src, cur)
	if err != nil {
		res.Err = err
		return r.refuse(res)
	}
	r.gens.Store(g)
	res.Version = g.version
	r.log.Info("reload: new configuration in force from the next batch of each partition",
		"version", g.version, "previous", cur.version, "compile_ms", time.Since(start).Milliseconds())
	r.report(res)
	return nil
}

func (r *Runner) refuse(res ReloadResult) error {
	r.log.Error("reload refused: the configuration in force stays", "version", res.Version, "files", res.Files, "err", res.Err)
	r.report(res)
	return fmt.Errorf("reload refused (%s stays in force): %w", res.Version, res.Err)
}

func (r *Runner) report(res ReloadResult) {
	if r.hook != nil {
		r.hook(res)
	}
}

// poll reloads every interval until ctx is done.
func (r *Runner) poll(ctx context.Context) {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = r.reload(false) // logged and reported
		}
	}
}
