package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Timeouts of the HTTP server.
const (
	readHeaderTimeout = 5 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 60 * time.Second
	// serverDrain bounds how long Serve waits for in-flight requests once
	// its context ends.
	serverDrain = 5 * time.Second
)

// SetReady marks the process ready (true) or not ready (false, with the
// reason "not ready"). /readyz answers 200 only while ready.
func (t *Telemetry) SetReady(ready bool) {
	if ready {
		t.notReady.Store(nil)
		return
	}
	t.SetNotReady("not ready")
}

// SetNotReady marks the process not ready and says why ("no partitions
// assigned", "shutting down"); /readyz answers 503 with the reason. The
// reason is shown to anyone who can reach the probe: keep secrets out.
// Once the reason is ReasonShuttingDown, the process stays not ready.
func (t *Telemetry) SetNotReady(reason string) {
	if reason == "" {
		reason = "not ready"
	}
	if reason == ReasonShuttingDown {
		t.stopping.Store(true)
	}
	t.notReady.Store(&reason)
}

// ReasonShuttingDown is the readiness reason from the start of shutdown on.
const ReasonShuttingDown = "shutting down"

// groupReady follows the consumer group membership (kafkaio.GroupHooks):
// ready while joined, not ready with the join error otherwise; never ready
// again once shutting down.
func (t *Telemetry) groupReady(err error) {
	if t.stopping.Load() {
		return
	}
	if err == nil {
		t.notReady.Store(nil)
		return
	}
	reason := "joining the consumer group: " + err.Error()
	t.notReady.Store(&reason)
}

// Ready reports whether the process is ready and, when not, why.
func (t *Telemetry) Ready() (ready bool, reason string) {
	if r := t.notReady.Load(); r != nil {
		return false, *r
	}
	return true, ""
}

// Handler serves GET /metrics (the Prometheus text format from the private
// registry), /healthz (200 while the process runs) and /readyz (200 when
// ready, 503 with the reason otherwise).
func (t *Telemetry) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{
		ErrorLog:      promLogger{t.log},
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      t.registry,
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if ok, reason := t.Ready(); !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "not ready: "+reason+"\n")
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	return mux
}

// Serve listens on Config.MetricsAddr and serves Handler until ctx ends,
// then stops accepting, lets in-flight requests finish (a few seconds at
// most) and returns nil. Listening and serving errors are returned.
func (t *Telemetry) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", t.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("telemetry: listening on metrics_addr %s: %w", t.cfg.MetricsAddr, err)
	}
	return t.ServeListener(ctx, ln)
}

// ServeListener is Serve on a listener the caller opened (and that Serve
// closes).
func (t *Telemetry) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           t.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(t.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("telemetry: serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serverDrain)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("telemetry: stopping the server on %s: %w", ln.Addr(), err)
	}
	return nil
}

// promLogger adapts slog to promhttp's error log.
type promLogger struct{ l *slog.Logger }

func (p promLogger) Println(v ...any) {
	p.l.Warn("serving /metrics", "err", fmt.Sprint(v...))
}
