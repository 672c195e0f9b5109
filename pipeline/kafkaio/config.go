package kafkaio

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// MaxBatchBytes is the largest produce batch a default Kafka broker accepts
// (message.max.bytes); larger batches are refused.
const MaxBatchBytes = 1 << 20

// Defaults applied by [Config.Validate] to zero fields.
const (
	DefaultClientID           = "veil"
	DefaultBatchRecords       = 1000
	DefaultBatchBytes         = MaxBatchBytes
	DefaultBatchTimeout       = 2 * time.Millisecond
	DefaultWriteTimeout       = 10 * time.Second
	DefaultFetchMaxBytes      = MaxBatchBytes
	DefaultFetchMaxWait       = 250 * time.Millisecond
	DefaultMaxInFlightBatches = 16
	DefaultSessionTimeout     = 10 * time.Second
	DefaultHeartbeatInterval  = time.Second
	DefaultRebalanceTimeout   = 30 * time.Second
	DefaultResumeScanRecords  = 10000
)

// Start offsets for a consumer group that has no committed offset.
const (
	StartEarliest = "earliest"
	StartLatest   = "latest"
)

// Output partitionings.
const (
	// PartitionSource writes each record to the output partition with the
	// number of its input partition. Per-partition order is kept exactly and
	// a restarted processor writes no duplicate (the resume rule); the output
	// topic needs at least as many partitions as every input topic.
	PartitionSource = "source"
	// PartitionKey places records by key with [Config].Producer.Balancer.
	// After a crash up to one batch per input partition may be duplicated.
	PartitionKey = "key"
)

// Balancers for PartitionKey.
const (
	BalancerMurmur2    = "murmur2"     // Java client default placement (default)
	BalancerCRC32      = "crc32"       // librdkafka's consistent placement
	BalancerFNV1a      = "fnv1a"       // kafka-go's kafka.Hash
	BalancerRoundRobin = "round_robin" // ignores keys
	BalancerLeastBytes = "least_bytes" // ignores keys
)

// Compression codecs.
const (
	CompressionNone   = "none"
	CompressionGzip   = "gzip"
	CompressionSnappy = "snappy"
	CompressionLZ4    = "lz4"
	CompressionZstd   = "zstd"
)

// SASL mechanisms.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// Config is the Kafka side of a veil processor: where events come from, the
// topics clean events and dead letters go to, and how to reach the cluster.
// Field names in errors are the yaml keys.
type Config struct {
	// Brokers are bootstrap addresses, host:port. Required.
	Brokers []string `yaml:"brokers"`
	// ClientID is sent to the brokers. Default "veil".
	ClientID string `yaml:"client_id"`
	// GroupID is the consumer group; processors sharing it split the input
	// partitions between them. Required.
	GroupID string `yaml:"group_id"`
	// Inputs are the topics consumed. Required.
	Inputs []string `yaml:"inputs"`
	// StartOffset is where a partition with no committed offset starts:
	// "earliest" (default: nothing retained is skipped) or "latest".
	StartOffset string `yaml:"start_offset"`
	// Outputs are the clean topics, one per output. It may be empty when
	// the processor has other outputs (WithOutput: NATS subjects, say).
	Outputs []OutputConfig `yaml:"outputs"`
	// DeadLetter is the topic rejected events go to. Its Topic is required;
	// Name is ignored.
	DeadLetter OutputConfig `yaml:"dead_letter"`
	// Producer tunes the writers of every output and the dead-letter topic.
	Producer ProducerConfig `yaml:"producer"`
	// Consumer tunes fetching and group membership.
	Consumer ConsumerConfig `yaml:"consumer"`
	// TLS secures connections; off unless Enabled.
	TLS TLSConfig `yaml:"tls"`
	// SASL authenticates connections; off unless Mechanism is set.
	SASL SASLConfig `yaml:"sasl"`
}

// OutputConfig is one output topic.
type OutputConfig struct {
	// Name identifies the output (it is matched with the output's transform
	// and shows in telemetry). Default: the topic.
	Name string `yaml:"name"`
	// Topic is the topic written. Required.
	Topic string `yaml:"topic"`
	// Partitioning is "source" (default) or "key"; see PartitionSource and
	// PartitionKey.
	Partitioning string `yaml:"partitioning"`
}

// ProducerConfig tunes the kafka-go writers.
type ProducerConfig struct {
	// Compression is none (default), gzip, snappy, lz4 or zstd.
	Compression string `yaml:"compression"`
	// BatchRecords is the most records per produce batch and partition.
	// Default 1000.
	BatchRecords int `yaml:"batch_records"`
	// BatchBytes is the largest produce batch, at most 1 MiB (the broker
	// refuses larger). Default 1 MiB.
	BatchBytes int `yaml:"batch_bytes"`
	// BatchTimeout is how long a partial produce batch waits for more
	// records. Keep it small: every write waits for it. Default 2ms, at most
	// 1s.
	BatchTimeout time.Duration `yaml:"batch_timeout"`
	// WriteTimeout bounds one produce request. Default 10s.
	WriteTimeout time.Duration `yaml:"write_timeout"`
	// Balancer places records of "key" outputs: murmur2 (default, as Java
	// clients), crc32, fnv1a, round_robin or least_bytes.
	Balancer string `yaml:"balancer"`
	// RequiredAcks is "all" (default) or "one"; no-ack writes would break
	// at-least-once delivery and are not offered.
	RequiredAcks string `yaml:"required_acks"`
	// ResumeScanRecords is how many records back from the end of an output
	// partition the resume rule reads when a partition is claimed. Default
	// 10000.
	ResumeScanRecords int `yaml:"resume_scan_records"`
}

// ConsumerConfig tunes fetching and group membership.
type ConsumerConfig struct {
	// BatchRecords is the most records processed (and committed) as one
	// batch. It is also the bound on duplicates after a crash on "key"
	// outputs. Default 1000.
	BatchRecords int `yaml:"batch_records"`
	// FetchMaxBytes is the most bytes fetched per partition and request, at
	// most 1 MiB. Default 1 MiB.
	FetchMaxBytes int `yaml:"fetch_max_bytes"`
	// FetchMaxWait is how long the broker holds a fetch for new records.
	// Default 250ms.
	FetchMaxWait time.Duration `yaml:"fetch_max_wait"`
	// MaxInFlightBatches bounds the batches fetched and not yet committed
	// across all partitions; with a slow output, fetching waits. Memory is
	// about (max_in_flight_batches + claimed partitions) x fetch_max_bytes.
	// Default 16.
	MaxInFlightBatches int `yaml:"max_in_flight_batches"`
	// SessionTimeout is how long the group waits for a silent member before
	// giving its partitions to others. Default 10s.
	SessionTimeout time.Duration `yaml:"session_timeout"`
	// HeartbeatInterval is how often a member tells the group it lives.
	// Default 1s; must be below session_timeout.
	HeartbeatInterval time.Duration `yaml:"heartbeat_interval"`
	// RebalanceTimeout is how long a rebalance waits for members to finish
	// their batches and rejoin. Default 30s.
	RebalanceTimeout time.Duration `yaml:"rebalance_timeout"`
}

// TLSConfig secures broker connections.
type TLSConfig struct {
	// Enabled turns TLS on (with the system roots unless CAFile is set).
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM file of CA certificates to trust instead of the
	// system roots.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are a PEM client certificate and key for mutual
	// TLS; both or neither.
	CertFile string `yaml:"cert_file"`
	// KeyFile is the PEM private key of CertFile.
	KeyFile string `yaml:"key_file"`
	// ServerName overrides the name checked in the brokers' certificates.
	ServerName string `yaml:"server_name"`
	// InsecureSkipVerifyDangerous disables certificate verification. For
	// tests only: it lets anyone on the path read and change every event.
	InsecureSkipVerifyDangerous bool `yaml:"insecure_skip_verify_dangerous"`
}

// SASLConfig authenticates broker connections. The password comes from a
// file or an environment variable, never from the config itself, and is
// never logged.
type SASLConfig struct {
	// Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty disables
	// SASL.
	Mechanism string `yaml:"mechanism"`
	// Username is the SASL user.
	Username string `yaml:"username"`
	// PasswordFile is a file holding the password (trailing newline
	// ignored).
	PasswordFile string `yaml:"password_file"`
	// PasswordEnv is the name of an environment variable holding the
	// password.
	PasswordEnv string `yaml:"password_env"`
}

// Validate fills defaults into zero fields and reports every invalid field,
// naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	if len(c.Brokers) == 0 {
		bad("brokers", "at least one broker address is required")
	}
	for i, b := range c.Brokers {
		if j := strings.LastIndexByte(b, ':'); j <= 0 || j == len(b)-1 {
			bad(fmt.Sprintf("brokers[%d]", i), "%q is not host:port", b)
		}
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.GroupID == "" {
		bad("group_id", "required")
	}
	if len(c.Inputs) == 0 {
		bad("inputs", "at least one input topic is required")
	}
	for i, t := range c.Inputs {
		if t == "" {
			bad(fmt.Sprintf("inputs[%d]", i), "empty topic name")
		}
		if slices.Index(c.Inputs, t) != i {
			bad(fmt.Sprintf("inputs[%d]", i), "topic %q listed twice", t)
		}
	}
	switch c.StartOffset {
	case "":
		c.StartOffset = StartEarliest
	case StartEarliest, StartLatest:
	default:
		bad("start_offset", "%q is not earliest or latest", c.StartOffset)
	}
	written := map[string]string{}
	checkTopic := func(key string, o *OutputConfig) {
		if o.Topic == "" {
			bad(key+".topic", "required")
			return
		}
		if slices.Contains(c.Inputs, o.Topic) {
			bad(key+".topic", "%q is also an input topic (veil would read its own output)", o.Topic)
		}
		if prev, ok := written[o.Topic]; ok {
			bad(key+".topic", "%q is also written by %s", o.Topic, prev)
		}
		written[o.Topic] = key
		switch o.Partitioning {
		case "":
			o.Partitioning = PartitionSource
		case PartitionSource, PartitionKey:
		default:
			bad(key+".partitioning", "%q is not source or key", o.Partitioning)
		}
	}
	names := map[string]bool{}
	for i := range c.Outputs {
		o := &c.Outputs[i]
		key := fmt.Sprintf("outputs[%d]", i)
		checkTopic(key, o)
		if o.Name == "" {
			o.Name = o.Topic
		}
		if names[o.Name] {
			bad(key+".name", "%q used twice", o.Name)
		}
		names[o.Name] = true
	}
	checkTopic("dead_letter", &c.DeadLetter)
	if c.DeadLetter.Name == "" {
		c.DeadLetter.Name = "dead_letter"
	}
	c.Producer.validate(bad)
	c.Consumer.validate(bad)
	c.TLS.validate(bad)
	c.SASL.validate(bad)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("kafka config: %w", err)
	}
	return nil
}

func (p *ProducerConfig) validate(bad func(string, string, ...any)) {
	switch p.Compression {
	case "":
		p.Compression = CompressionNone
	case CompressionNone, CompressionGzip, CompressionSnappy, CompressionLZ4, CompressionZstd:
	default:
		bad("producer.compression", "%q is not none, gzip, snappy, lz4 or zstd", p.Compression)
	}
	defInt(&p.BatchRecords, DefaultBatchRecords)
	if p.BatchRecords < 1 {
		bad("producer.batch_records", "%d is not positive", p.BatchRecords)
	}
	defInt(&p.BatchBytes, DefaultBatchBytes)
	if p.BatchBytes < 1 || p.BatchBytes > MaxBatchBytes {
		bad("producer.batch_bytes", "%d is not in [1, %d] (brokers refuse larger batches)", p.BatchBytes, MaxBatchBytes)
	}
	defDur(&p.BatchTimeout, DefaultBatchTimeout)
	if p.BatchTimeout <= 0 || p.BatchTimeout > time.Second {
		bad("producer.batch_timeout", "%s is not in (0, 1s]; every write waits for it, keep it at a few milliseconds", p.BatchTimeout)
	}
	defDur(&p.WriteTimeout, DefaultWriteTimeout)
	if p.WriteTimeout <= 0 {
		bad("producer.write_timeout", "%s is not positive", p.WriteTimeout)
	}
	switch p.Balancer {
	case "":
		p.Balancer = BalancerMurmur2
	case BalancerMurmur2, BalancerCRC32, BalancerFNV1a, BalancerRoundRobin, BalancerLeastBytes:
	default:
		bad("producer.balancer", "%q is not murmur2, crc32, fnv1a, round_robin or least_bytes", p.Balancer)
	}
	switch p.RequiredAcks {
	case "":
		p.RequiredAcks = "all"
	case "all", "one":
	default:
		bad("producer.required_acks", "%q is not all or one", p.RequiredAcks)
	}
	defInt(&p.ResumeScanRecords, DefaultResumeScanRecords)
	if p.ResumeScanRecords < 1 {
		bad("producer.resume_scan_records", "%d is not positive", p.ResumeScanRecords)
	}
}

func (c *ConsumerConfig) validate(bad func(string, string, ...any)) {
	defInt(&c.BatchRecords, DefaultBatchRecords)
	if c.BatchRecords < 1 {
		bad("consumer.batch_records", "%d is not positive", c.BatchRecords)
	}
	defInt(&c.FetchMaxBytes, DefaultFetchMaxBytes)
	if c.FetchMaxBytes < 1 || c.FetchMaxBytes > MaxBatchBytes {
		bad("consumer.fetch_max_bytes", "%d is not in [1, %d]", c.FetchMaxBytes, MaxBatchBytes)
	}
	defDur(&c.FetchMaxWait, DefaultFetchMaxWait)
	if c.FetchMaxWait <= 0 || c.FetchMaxWait > 30*time.Second {
		bad("consumer.fetch_max_wait", "%s is not in (0, 30s]", c.FetchMaxWait)
	}
	defInt(&c.MaxInFlightBatches, DefaultMaxInFlightBatches)
	if c.MaxInFlightBatches < 1 {
		bad("consumer.max_in_flight_batches", "%d is not positive", c.MaxInFlightBatches)
	}
	defDur(&c.SessionTimeout, DefaultSessionTimeout)
	defDur(&c.HeartbeatInterval, DefaultHeartbeatInterval)
	defDur(&c.RebalanceTimeout, DefaultRebalanceTimeout)
	if c.SessionTimeout <= 0 {
		bad("consumer.session_timeout", "%s is not positive", c.SessionTimeout)
	}
	if c.HeartbeatInterval <= 0 || c.HeartbeatInterval >= c.SessionTimeout {
		bad("consumer.heartbeat_interval", "%s is not in (0, session_timeout %s)", c.HeartbeatInterval, c.SessionTimeout)
	}
	if c.RebalanceTimeout <= 0 {
		bad("consumer.rebalance_timeout", "%s is not positive", c.RebalanceTimeout)
	}
}

func (t *TLSConfig) validate(bad func(string, string, ...any)) {
	if !t.Enabled {
		if t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.InsecureSkipVerifyDangerous {
			bad("tls.enabled", "false, but other tls keys are set; set enabled: true or remove them")
		}
		return
	}
	fileKey := func(key, path string) {
		if path == "" {
			return
		}
		if _, err := os.Stat(path); err != nil {
			bad(key, "%v", err)
		}
	}
	fileKey("tls.ca_file", t.CAFile)
	fileKey("tls.cert_file", t.CertFile)
	fileKey("tls.key_file", t.KeyFile)
	if (t.CertFile == "") != (t.KeyFile == "") {
		bad("tls.cert_file", "cert_file and key_file go together")
	}
}

func (s *SASLConfig) validate(bad func(string, string, ...any)) {
	if s.Mechanism == "" {
		if s.Username != "" || s.PasswordFile != "" || s.PasswordEnv != "" {
			bad("sasl.mechanism", "empty, but other sasl keys are set")
		}
		return
	}
	switch s.Mechanism {
	case SASLPlain, SASLScramSHA256, SASLScramSHA512:
	default:
		bad("sasl.mechanism", "%q is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", s.Mechanism)
	}
	if s.Username == "" {
		bad("sasl.username", "required with sasl.mechanism")
	}
	switch {
	case s.PasswordFile != "" && s.PasswordEnv != "":
		bad("sasl.password_file", "set password_file or password_env, not both")
	case s.PasswordFile != "":
		if _, err := os.Stat(s.PasswordFile); err != nil {
			bad("sasl.password_file", "%v", err)
		}
	case s.PasswordEnv != "":
		if os.Getenv(s.PasswordEnv) == "" {
			bad("sasl.password_env", "environment variable %s is unset or empty", s.PasswordEnv)
		}
	default:
		bad("sasl.password_file", "a password_file or password_env is required with sasl.mechanism")
	}
}

func defInt(p *int, d int) {
	if *p == 0 {
		*p = d
	}
}

func defDur(p *time.Duration, d time.Duration) {
	if *p == 0 {
		*p = d
	}
}
