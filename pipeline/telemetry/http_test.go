package telemetry

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestProbes(t *testing.T) {
	tel := newTest(t)
	h := tel.Handler()
	check := func(step, path string, wantCode int, wantBody string) {
		t.Helper()
		code, body := get(t, h, path)
		if code != wantCode || !strings.Contains(body, wantBody) {
			t.Errorf("%s: GET %s = %d %q, want %d containing %q", step, path, code, body, wantCode, wantBody)
		}
	}
	check("new", "/healthz", http.StatusOK, "ok")
	check("new", "/readyz", http.StatusServiceUnavailable, "not ready: starting")

	tel.SetNotReady("no partitions assigned")
	check("unassigned", "/readyz", http.StatusServiceUnavailable, "not ready: no partitions assigned")

	tel.SetReady(true)
	check("ready", "/readyz", http.StatusOK, "ready")
	if ok, reason := tel.Ready(); !ok || reason != "" {
		t.Errorf("Ready() = %v, %q after SetReady(true)", ok, reason)
	}

	tel.SetReady(false)
	check("unready", "/readyz", http.StatusServiceUnavailable, "not ready: not ready")
	tel.SetReady(true)
	check("ready again", "/readyz", http.StatusOK, "ready")

	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	check("shut down", "/readyz", http.StatusServiceUnavailable, "not ready: shutting down")
	check("shut down", "/healthz", http.StatusOK, "ok")
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}

	if code, _ := get(t, h, "/nope"); code != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", code)
	}
}

func TestProbesRejectOtherMethods(t *testing.T) {
	srv := newTestServer(t)
	req, _ := http.NewRequest(http.MethodPost, srv+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /readyz = %d, want 405", resp.StatusCode)
	}
}

// newTestServer runs ServeListener on a loopback port and returns its URL.
func newTestServer(t *testing.T) string {
	t.Helper()
	tel := newTest(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tel.ServeListener(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ServeListener returned %v after its context ended, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("ServeListener did not return after its context ended")
		}
	})
	return "http://" + ln.Addr().String()
}

func TestServeListener(t *testing.T) {
	url := newTestServer(t)
	for _, path := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if path == "/metrics" && !strings.Contains(string(body), "target_info") {
			t.Errorf("GET /metrics: no target_info in\n%s", body)
		}
	}
}

func TestServeReportsListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tel, err := New(Config{MetricsAddr: ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = tel.Serve(ctx)
	if err == nil || !strings.Contains(err.Error(), "metrics_addr") {
		t.Errorf("Serve on a taken port = %v, want an error naming metrics_addr", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve waited for its context instead of failing: %v", err)
	}
}
