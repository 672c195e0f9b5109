package telemetry

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Defaults for [Config].
const (
	// DefaultMetricsAddr is where /metrics, /healthz and /readyz are served:
	// port 9464 is the one OpenTelemetry's Prometheus exporters use.
	DefaultMetricsAddr = ":9464"
	// DefaultServiceName is the service.name resource attribute.
	DefaultServiceName = "veil"
	// DefaultTraceSampleRatio samples every batch.
	DefaultTraceSampleRatio = 1.0
	// maxServiceName bounds service_name, which ends up on every span and
	// in target_info.
	maxServiceName = 255
)

// Config configures a [Telemetry]. The zero value is valid and means the
// defaults: metrics and probes on :9464, no trace export.
type Config struct {
	// MetricsAddr is the host:port the HTTP server of [Telemetry.Serve]
	// listens on for /metrics, /healthz and /readyz, such as ":9464" or
	// "127.0.0.1:9464". Default DefaultMetricsAddr.
	MetricsAddr string `yaml:"metrics_addr"`
	// ServiceName is the service.name resource attribute of metrics
	// (target_info) and spans. Default DefaultServiceName.
	ServiceName string `yaml:"service_name"`
	// ServiceVersion is the service.version resource attribute; empty
	// leaves it out.
	ServiceVersion string `yaml:"service_version"`
	// OTLPEndpoint is the OTLP/HTTP collector URL spans are exported to,
	// such as "http://otel-collector:4318". A URL without a path gets the
	// standard "/v1/traces"; one with a path is used as is. The scheme
	// decides TLS (https) or plain HTTP. Empty means no trace export.
	// Credentials do not belong in the URL: the exporter reads headers from
	// OTEL_EXPORTER_OTLP_HEADERS (or OTEL_EXPORTER_OTLP_TRACES_HEADERS).
	OTLPEndpoint string `yaml:"otlp_endpoint"`
	// TraceSampleRatio is the fraction of batches traced, in [0, 1], when
	// spans are exported; a batch whose parent context is sampled is always
	// traced. 0 means DefaultTraceSampleRatio (to export no spans at all,
	// leave OTLPEndpoint empty).
	TraceSampleRatio float64 `yaml:"trace_sample_ratio"`
}

// Validate reports every invalid field, naming its key.
func (c Config) Validate() error {
	var errs []error
	if c.MetricsAddr != "" {
		if err := validateAddr(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics_addr: %q: %w", c.MetricsAddr, err))
		}
	}
	if err := validateName(c.ServiceName); err != nil {
		errs = append(errs, fmt.Errorf("service_name: %w", err))
	}
	if err := validateName(c.ServiceVersion); err != nil {
		errs = append(errs, fmt.Errorf("service_version: %w", err))
	}
	if c.OTLPEndpoint != "" {
		if err := validateEndpoint(c.OTLPEndpoint); err != nil {
			errs = append(errs, fmt.Errorf("otlp_endpoint: %w", err))
		}
	}
	if r := c.TraceSampleRatio; math.IsNaN(r) || r < 0 || r > 1 {
		errs = append(errs, fmt.Errorf("trace_sample_ratio: %v is outside [0, 1]", r))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.MetricsAddr == "" {
		c.MetricsAddr = DefaultMetricsAddr
	}
	if c.ServiceName == "" {
		c.ServiceName = DefaultServiceName
	}
	if c.TraceSampleRatio == 0 {
		c.TraceSampleRatio = DefaultTraceSampleRatio
	}
	return c
}

func validateAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("not host:port (e.g. \":9464\")")
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// validateName accepts printable UTF-8 of bounded length (empty is fine:
// it means the default or nothing).
func validateName(s string) error {
	if len(s) > maxServiceName {
		return fmt.Errorf("%d bytes, longer than %d", len(s), maxServiceName)
	}
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("contains the non-printable character %U", r)
		}
	}
	return nil
}

// validateEndpoint checks an OTLP/HTTP URL without echoing it: it may carry
// credentials someone put there by mistake.
func validateEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("scheme %q: want http or https", u.Scheme)
	case u.Host == "":
		return errors.New("no host (want e.g. http://otel-collector:4318)")
	case u.User != nil:
		return errors.New("carries credentials: set them in OTEL_EXPORTER_OTLP_HEADERS instead")
	case u.RawQuery != "" || u.Fragment != "":
		return errors.New("has a query or fragment: want scheme, host, port and path only")
	}
	if p := u.Port(); p != "" {
		if _, err := strconv.ParseUint(p, 10, 16); err != nil {
			return fmt.Errorf("port %q is not a number from 0 to 65535", p)
		}
	}
	return nil
}

// traceURL is the endpoint the exporter is given: the standard traces path
// is appended to a URL without one.
func traceURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	return u.String(), nil
}
