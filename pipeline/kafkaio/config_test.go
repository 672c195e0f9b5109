package kafkaio

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{
		Brokers:    []string{"127.0.0.1:9092"},
		GroupID:    "veil",
		Inputs:     []string{"events"},
		Outputs:    []OutputConfig{{Name: "analytics", Topic: "events.clean"}},
		DeadLetter: OutputConfig{Topic: "events.dlq"},
	}
}

func TestConfigDefaults(t *testing.T) {
	c := validConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	checks := []struct {
		key       string
		got, want any
	}{
		{"client_id", c.ClientID, DefaultClientID},
		{"start_offset", c.StartOffset, StartEarliest},
		{"outputs[0].partitioning", c.Outputs[0].Partitioning, PartitionSource},
		{"producer.compression", c.Producer.Compression, CompressionNone},
		{"producer.balancer", c.Producer.Balancer, BalancerMurmur2},
		{"producer.batch_bytes", c.Producer.BatchBytes, MaxBatchBytes},
		{"producer.batch_timeout", c.Producer.BatchTimeout, DefaultBatchTimeout},
		{"producer.required_acks", c.Producer.RequiredAcks, "all"},
		{"consumer.batch_records", c.Consumer.BatchRecords, DefaultBatchRecords},
		{"consumer.max_in_flight_batches", c.Consumer.MaxInFlightBatches, DefaultMaxInFlightBatches},
		{"consumer.session_timeout", c.Consumer.SessionTimeout, DefaultSessionTimeout},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s defaulted to %v, want %v", ch.key, ch.got, ch.want)
		}
	}
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" means valid
	}{
		{"valid", func(*Config) {}, ""},
		{"no brokers", func(c *Config) { c.Brokers = nil }, "brokers: at least one"},
		{"broker without port", func(c *Config) { c.Brokers = []string{"localhost"} }, "brokers[0]"},
		{"no group", func(c *Config) { c.GroupID = "" }, "group_id: required"},
		{"no inputs", func(c *Config) { c.Inputs = nil }, "inputs: at least one"},
		{"duplicate input", func(c *Config) { c.Inputs = []string{"a", "a"} }, "inputs[1]: topic \"a\" listed twice"},
		{"bad start", func(c *Config) { c.StartOffset = "middle" }, "start_offset"},
		{"latest start", func(c *Config) { c.StartOffset = StartLatest }, ""},
		{"no kafka outputs (the processor may be given others)", func(c *Config) { c.Outputs = nil }, ""},
		{"output without topic", func(c *Config) { c.Outputs[0].Topic = "" }, "outputs[0].topic: required"},
		{"output reads itself", func(c *Config) { c.Outputs[0].Topic = "events" }, "also an input topic"},
		{"two outputs one topic", func(c *Config) {
			c.Outputs = append(c.Outputs, OutputConfig{Name: "b", Topic: "events.clean"})
		}, "outputs[1].topic: \"events.clean\" is also written by outputs[0]"},
		{"duplicate output name", func(c *Config) {
			c.Outputs = append(c.Outputs, OutputConfig{Name: "analytics", Topic: "other"})
		}, "outputs[1].name"},
		{"bad partitioning", func(c *Config) { c.Outputs[0].Partitioning = "random" }, "outputs[0].partitioning"},
		{"no dead letter", func(c *Config) { c.DeadLetter.Topic = "" }, "dead_letter.topic: required"},
		{"dead letter is output", func(c *Config) { c.DeadLetter.Topic = "events.clean" }, "dead_letter.topic"},
		{"bad compression", func(c *Config) { c.Producer.Compression = "brotli" }, "producer.compression"},
		{"zstd", func(c *Config) { c.Producer.Compression = CompressionZstd }, ""},
		{"batch too big", func(c *Config) { c.Producer.BatchBytes = 2 << 20 }, "producer.batch_bytes: 2097152 is not in [1, 1048576]"},
		{"slow batch timeout", func(c *Config) { c.Producer.BatchTimeout = 2 * time.Second }, "producer.batch_timeout"},
		{"bad balancer", func(c *Config) { c.Producer.Balancer = "sticky" }, "producer.balancer"},
		{"no acks", func(c *Config) { c.Producer.RequiredAcks = "none" }, "producer.required_acks"},
		{"fetch too big", func(c *Config) { c.Consumer.FetchMaxBytes = 4 << 20 }, "consumer.fetch_max_bytes"},
		{"negative in flight", func(c *Config) { c.Consumer.MaxInFlightBatches = -1 }, "consumer.max_in_flight_batches"},
		{"heartbeat above session", func(c *Config) {
			c.Consumer.SessionTimeout, c.Consumer.HeartbeatInterval = time.Second, 2*time.Second
		}, "consumer.heartbeat_interval"},
		{"tls keys while off", func(c *Config) { c.TLS.CAFile = pw }, "tls.enabled"},
		{"tls missing ca", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CAFile: filepath.Join(dir, "nope.pem")} }, "tls.ca_file"},
		{"tls cert without key", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CertFile: pw} }, "tls.cert_file: cert_file and key_file go together"},
		{"sasl unknown", func(c *Config) { c.SASL = SASLConfig{Mechanism: "GSSAPI", Username: "u", PasswordFile: pw} }, "sasl.mechanism"},
		{"sasl no user", func(c *Config) { c.SASL = SASLConfig{Mechanism: SASLPlain, PasswordFile: pw} }, "sasl.username"},
		{"sasl no password", func(c *Config) { c.SASL = SASLConfig{Mechanism: SASLPlain, Username: "u"} }, "sasl.password_file: a password_file or password_env"},
		{"sasl both passwords", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: SASLPlain, Username: "u", PasswordFile: pw, PasswordEnv: "X"}
		}, "not both"},
		{"sasl unset env", func(c *Config) {
			c.SASL = SASLConfig{Mechanism: SASLScramSHA512, Username: "u", PasswordEnv: "VEIL_TEST_UNSET_PASSWORD"}
		}, "sasl.password_env: environment variable VEIL_TEST_UNSET_PASSWORD is unset"},
		{"sasl file", func(c *Config) { c.SASL = SASLConfig{Mechanism: SASLScramSHA256, Username: "u", PasswordFile: pw} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Validate accepted it, want an error with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Validate: %v\nwant it to contain %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error reveals the password: %v", err)
			}
		})
	}
}

func TestSASLPasswordFromFileAndEnv(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("from-file\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VEIL_TEST_KAFKA_PASSWORD", "from-env")
	for _, s := range []SASLConfig{
		{Mechanism: SASLPlain, Username: "u", PasswordFile: pw},
		{Mechanism: SASLScramSHA256, Username: "u", PasswordEnv: "VEIL_TEST_KAFKA_PASSWORD"},
		{Mechanism: SASLScramSHA512, Username: "u", PasswordFile: pw},
	} {
		m, err := s.build()
		if err != nil || m == nil || m.Name() != s.Mechanism {
			t.Fatalf("%s: mechanism %v, err %v", s.Mechanism, m, err)
		}
	}
}
