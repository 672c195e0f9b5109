package telemetry

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none means valid
	}{
		{name: "zero value", cfg: Config{}},
		{name: "full", cfg: Config{MetricsAddr: "127.0.0.1:9464", ServiceName: "veil-eu", ServiceVersion: "1.4.0",
			OTLPEndpoint: "https://otel.example:4318/v1/traces", TraceSampleRatio: 0.25}},
		{name: "port only", cfg: Config{MetricsAddr: ":9464"}},
		{name: "ipv6", cfg: Config{MetricsAddr: "[::1]:9464"}},
		{name: "ratio one", cfg: Config{TraceSampleRatio: 1}},
		{name: "endpoint without path", cfg: Config{OTLPEndpoint: "http://collector:4318"}},
		{name: "no port", cfg: Config{MetricsAddr: "localhost"}, want: []string{"metrics_addr:", "not host:port"}},
		{name: "named port", cfg: Config{MetricsAddr: ":http"}, want: []string{"metrics_addr:", `port "http"`}},
		{name: "port too big", cfg: Config{MetricsAddr: ":70000"}, want: []string{"metrics_addr:", "0 to 65535"}},
		{name: "name with newline", cfg: Config{ServiceName: "veil\nx"}, want: []string{"service_name:", "non-printable"}},
		{name: "name too long", cfg: Config{ServiceName: strings.Repeat("v", 256)}, want: []string{"service_name:", "longer than 255"}},
		{name: "version not utf8", cfg: Config{ServiceVersion: "1.\xff"}, want: []string{"service_version:", "UTF-8"}},
		{name: "endpoint scheme", cfg: Config{OTLPEndpoint: "grpc://collector:4317"}, want: []string{"otlp_endpoint:", `scheme "grpc"`}},
		{name: "endpoint bare host", cfg: Config{OTLPEndpoint: "collector:4318"}, want: []string{"otlp_endpoint:"}},
		{name: "endpoint no host", cfg: Config{OTLPEndpoint: "http:///v1/traces"}, want: []string{"otlp_endpoint:", "no host"}},
		{name: "endpoint credentials", cfg: Config{OTLPEndpoint: "https://user:s3cret@collector:4318"}, want: []string{"otlp_endpoint:", "credentials"}},
		{name: "endpoint query", cfg: Config{OTLPEndpoint: "https://collector:4318/v1/traces?token=abc"}, want: []string{"otlp_endpoint:", "query"}},
		{name: "endpoint port", cfg: Config{OTLPEndpoint: "https://collector:99999"}, want: []string{"otlp_endpoint:"}},
		{name: "ratio negative", cfg: Config{TraceSampleRatio: -0.1}, want: []string{"trace_sample_ratio:", "outside [0, 1]"}},
		{name: "ratio above one", cfg: Config{TraceSampleRatio: 1.5}, want: []string{"trace_sample_ratio:"}},
		{name: "ratio NaN", cfg: Config{TraceSampleRatio: math.NaN()}, want: []string{"trace_sample_ratio:"}},
		{name: "every key at once", cfg: Config{MetricsAddr: "x", ServiceName: "\x00", OTLPEndpoint: "ftp://h", TraceSampleRatio: 2},
			want: []string{"metrics_addr:", "service_name:", "otlp_endpoint:", "trace_sample_ratio:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.cfg.Validate()
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
			if _, nerr := New(c.cfg); nerr == nil {
				t.Error("New accepted a config Validate refuses")
			}
		})
	}
}

// Errors never echo a secret put in the endpoint URL.
func TestConfigValidateHidesEndpoint(t *testing.T) {
	for _, ep := range []string{
		"https://user:hunter2@collector:4318",
		"https://collector:4318/?token=hunter2",
		"ftp://hunter2@collector",
		"http://collector:hunter2",
	} {
		err := Config{OTLPEndpoint: ep}.Validate()
		if err == nil {
			t.Errorf("%q: accepted", ep)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error echoes the secret: %v", ep, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.MetricsAddr != DefaultMetricsAddr || c.ServiceName != DefaultServiceName || c.TraceSampleRatio != DefaultTraceSampleRatio {
		t.Errorf("defaults = %+v", c)
	}
	kept := Config{MetricsAddr: ":1", ServiceName: "x", TraceSampleRatio: 0.5}.withDefaults()
	if kept.MetricsAddr != ":1" || kept.ServiceName != "x" || kept.TraceSampleRatio != 0.5 {
		t.Errorf("set values overridden: %+v", kept)
	}
}

func TestTraceURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://collector:4318", "http://collector:4318/v1/traces"},
		{"http://collector:4318/", "http://collector:4318/v1/traces"},
		{"https://gw.example/otlp/v1/traces", "https://gw.example/otlp/v1/traces"},
	}
	for _, c := range cases {
		got, err := traceURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("traceURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// An OTLP endpoint builds a real exporter (New does not connect), and
// Shutdown with nothing to send does not wait for the collector.
func TestNewWithOTLPEndpoint(t *testing.T) {
	tel, err := New(Config{OTLPEndpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if !tel.tracing {
		t.Error("tracing off with an OTLP endpoint")
	}
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

func FuzzConfigValidate(f *testing.F) {
	f.Add(":9464", "veil", "http://collector:4318", 0.5)
	f.Add("[::1]:0", "", "https://u:p@h:1/x?y#z", -1.0)
	f.Add("", "\x00", "::", 2.0)
	f.Fuzz(func(t *testing.T, addr, name, endpoint string, ratio float64) {
		c := Config{MetricsAddr: addr, ServiceName: name, OTLPEndpoint: endpoint, TraceSampleRatio: ratio}
		err := c.Validate()
		if err != nil {
			return
		}
		// What Validate accepts, the constructor's parts accept too.
		if endpoint != "" {
			if _, uerr := traceURL(endpoint); uerr != nil {
				t.Fatalf("valid endpoint %q: traceURL: %v", endpoint, uerr)
			}
		}
		d := c.withDefaults()
		if d.TraceSampleRatio <= 0 || d.TraceSampleRatio > 1 {
			t.Fatalf("ratio %v after defaults", d.TraceSampleRatio)
		}
		if d.MetricsAddr == "" || d.ServiceName == "" {
			t.Fatalf("empty defaults: %+v", d)
		}
	})
}
