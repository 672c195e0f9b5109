package runner

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/aggregate"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/natsio"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/pipeline/telemetry"
	"github.com/veilstream/veil/schemas/policy"
)

// Config is a processor's whole configuration, as read from veil.yaml.
type Config struct {
	// Kafka is where events come from and where clean events and dead
	// letters go.
	Kafka kafkaio.Config `yaml:"kafka"`
	// Stream tunes the processing loop (event size limit, shutdown grace).
	Stream stream.Config `yaml:"stream"`
	// Outputs says, for each output named in kafka.outputs, the purpose its
	// consumers have and how it is processed. Every Kafka output must be
	// listed: an output without a purpose would get raw events.
	Outputs []OutputConfig `yaml:"outputs"`
	// Policy is a policy file; empty means the embedded default policy.
	Policy string `yaml:"policy"`
	// Rules is a directory of user rule files laid over the built-in pack.
	Rules string `yaml:"rules"`
	// Schemas is a directory of user event schemas laid over the built-in
	// ones by $id; empty means the built-in schemas alone.
	Schemas string `yaml:"schemas"`
	// SchemaViolations is "reject" (default: an event that violates its
	// schema goes to the dead-letter topic) or "classify" (schemas only
	// classify members).
	SchemaViolations string `yaml:"schema_violations"`
	// MatchTimeout bounds each backtracking rule's search per value; a value
	// whose search times out is unclassifiable and its event is
	// dead-lettered. Default DefaultMatchTimeout.
	MatchTimeout time.Duration `yaml:"match_timeout"`
	// MaxDepth bounds the nesting of an event; deeper events are
	// dead-lettered. 0 means 128.
	MaxDepth int `yaml:"max_depth"`
	// Keys configures the keys of keyed pseudonyms.
	Keys KeysConfig `yaml:"keys"`
	// Origins maps an input topic to the origin of its events ("website",
	// "service", …); outputs whose purpose restricts origins (marketing)
	// skip events from other topics.
	Origins map[string]string `yaml:"origins"`
	// CustomerKeys are top-level event keys naming the customer whose keys
	// pseudonymize the event (e.g. workspace_id, bot_id).
	CustomerKeys []string `yaml:"customer_keys"`
	// Telemetry configures metrics, traces and the health endpoints.
	Telemetry telemetry.Config `yaml:"telemetry"`
	// Reload says how the rules directory, the schemas directory and the
	// policy file are reloaded while veil runs.
	Reload ReloadConfig `yaml:"reload"`
	// Aggregates are aggregate outputs: windowed cohort counts with a k
	// threshold (package pipeline/aggregate), computed from the same input
	// topics next to the per-event outputs.
	Aggregates []AggregateConfig `yaml:"aggregates"`
}

// AggregateConfig is one aggregate output: the events of the input topics,
// sanitized for Purpose, counted per window and cohort and published to
// AggregateTopic (see pipeline/aggregate's README.md for the guarantee). It
// runs in its own consumer groups, kafka.group_id + "." + Name for the
// input and that + ".aggregate" for the repartition topic, with the
// brokers, TLS and SASL of kafka.
type AggregateConfig struct {
	// Name identifies the aggregate output in errors, logs and group ids.
	// Required, unique; letters, digits, '.', '_' and '-'.
	Name string `yaml:"name"`
	// Purpose is the purpose whose policy sanitizes the events the cohort
	// dimensions and metrics are read from: an analytics purpose
	// (product_improvement or marketing), so a dimension the policy does
	// not allow is absent from every cohort.
	Purpose string `yaml:"purpose"`
	// RepartitionTopic is the internal topic between the two stages. It
	// carries contributor identifiers (anonymous ids, IP addresses): restrict
	// it like the input and keep its retention short. Required.
	RepartitionTopic string `yaml:"repartition_topic"`
	// AggregateTopic receives the records, keyed by window and cohort; make
	// it compacted. Required.
	AggregateTopic string `yaml:"aggregate_topic"`
	// CheckpointTopic holds the watermark of each repartition partition;
	// make it compacted. Required.
	CheckpointTopic string `yaml:"checkpoint_topic"`
	// DeadLetterTopic receives the events that could not be read or
	// sanitized for this output. Default: kafka.dead_letter's topic (which
	// then holds such an event once for each output reading it).
	DeadLetterTopic string `yaml:"dead_letter_topic"`
	// PartitionBy names dimensions, never rolled up, that key the
	// repartition topic, to spread stage 2 over its partitions. Not with
	// differential_privacy.
	PartitionBy []string `yaml:"partition_by"`
	// FlushOnStop publishes every open window on a graceful stop, after
	// consuming the inputs to their end: for bounded inputs (demos,
	// backfills) only, as each restart would cut windows short.
	FlushOnStop bool `yaml:"flush_on_stop"`
	// Config is the aggregation: window, allowed_lateness, k, dimensions,
	// rollup, metrics, contributor, bounds, differential_privacy, ...
	aggregate.Config `yaml:",inline"`
}

// processorConfig returns the aggregate processor configuration of a for
// the Kafka settings k (validated).
func (a *AggregateConfig) processorConfig(k kafkaio.Config) aggregate.ProcessorConfig {
	k.GroupID = k.GroupID + "." + a.Name
	if a.DeadLetterTopic != "" {
		k.DeadLetter.Topic = a.DeadLetterTopic // partitioned as kafka.dead_letter
	}
	return aggregate.ProcessorConfig{
		Kafka:            k,
		RepartitionTopic: a.RepartitionTopic,
		AggregateTopic:   a.AggregateTopic,
		CheckpointTopic:  a.CheckpointTopic,
		PartitionBy:      a.PartitionBy,
		Aggregate:        a.Config,
	}
}

// NoiseKeyFile is the entry of keys.dir holding the secret the
// differential-privacy noise of aggregate outputs is derived from (at least
// 32 bytes, like a customer secret). With it, a window published again
// after a restart carries the same noise; it is required when keys.dir is
// set and an aggregate output has differential_privacy.
const NoiseKeyFile = "aggregate-noise"

var aggregateName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// validateAggregates checks the aggregates list against the rest of c.
func (c *Config) validateAggregates() []error {
	var errs []error
	written := map[string]string{c.Kafka.DeadLetter.Topic: "kafka.dead_letter"}
	for i, o := range c.Kafka.Outputs {
		written[o.Topic] = fmt.Sprintf("kafka.outputs[%d]", i)
	}
	names := map[string]bool{}
	for _, o := range c.Outputs {
		names[o.Name] = true
	}
	for i := range c.Aggregates {
		a := &c.Aggregates[i]
		key := fmt.Sprintf("aggregates[%d]", i)
		switch {
		case !aggregateName.MatchString(a.Name):
			errs = append(errs, fmt.Errorf("%s.name: %q is not 1 to 100 of A-Z a-z 0-9 . _ -", key, a.Name))
		case names[a.Name]:
			errs = append(errs, fmt.Errorf("%s.name: %q is also the name of an output", key, a.Name))
		}
		names[a.Name] = true
		if p, err := policy.ParsePurpose(a.Purpose); err != nil {
			errs = append(errs, fmt.Errorf("%s.purpose: %w", key, err))
		} else if !p.Analytics() {
			errs = append(errs, fmt.Errorf("%s.purpose: %s is not an analytics purpose (product_improvement or marketing)", key, p))
		}
		for _, t := range []struct{ k, topic string }{{"repartition_topic", a.RepartitionTopic}, {"aggregate_topic", a.AggregateTopic}, {"checkpoint_topic", a.CheckpointTopic}} {
			if t.topic == "" {
				continue // the processor's validation says required
			}
			if prev, ok := written[t.topic]; ok {
				errs = append(errs, fmt.Errorf("%s.%s: %q is also written by %s", key, t.k, t.topic, prev))
			}
			written[t.topic] = key + "." + t.k
		}
		if len(c.Kafka.Brokers) == 0 {
			continue // kafka's own errors say why
		}
		pc := a.processorConfig(c.Kafka)
		if err := pc.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s (%s): %w", key, a.Name, err))
			continue
		}
		a.Config = pc.Aggregate // with its defaults filled
		if a.Privacy != nil && c.Keys.Dir != "" {
			if _, err := readNoiseKey(c.Keys.Dir); err != nil {
				errs = append(errs, fmt.Errorf("%s.differential_privacy: %w", key, err))
			}
		}
	}
	return errs
}

// readNoiseKey reads the noise key entry of the key directory.
func readNoiseKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, NoiseKeyFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keys.dir: the noise key of aggregate outputs: %w", err)
	}
	secret := bytes.TrimSpace(data)
	if len(secret) < aggregate.MinNoiseKeySize {
		return nil, fmt.Errorf("keys.dir: the noise key %s is %d bytes, want at least %d", path, len(secret), aggregate.MinNoiseKeySize)
	}
	return secret, nil
}

// ReloadConfig says how rules, schemas and policy are reloaded while veil
// runs. A reload reads every file, compiles them, and puts the result in
// force between batches, or refuses it whole and keeps the running one if
// anything is invalid. SIGHUP reloads at once, whatever these settings.
type ReloadConfig struct {
	// Interval is how often the files are read and compared, by content
	// digest, with the last ones read. Reading contents rather than waiting
	// for file events works on Kubernetes ConfigMap volumes, whose updates
	// swap a ..data symlink under the files. Default DefaultReloadInterval;
	// at least MinReloadInterval.
	Interval time.Duration `yaml:"interval"`
	// Disabled stops the polling: only SIGHUP reloads.
	Disabled bool `yaml:"disabled"`
}

// Validate checks the reload settings.
func (c ReloadConfig) Validate() error {
	if c.Interval < 0 {
		return fmt.Errorf("interval: %v must not be negative", c.Interval)
	}
	if c.Interval > 0 && c.Interval < MinReloadInterval {
		return fmt.Errorf("interval: %v is shorter than %v (every poll reads every file)", c.Interval, MinReloadInterval)
	}
	return nil
}

// OutputConfig is the processing of one output.
type OutputConfig struct {
	// Name matches an output of kafka.outputs.
	Name string `yaml:"name"`
	// Purpose is the purpose of the output's consumers:
	// product_improvement, security, marketing or service.
	Purpose string `yaml:"purpose"`
	// TagOnly classifies and tags events without changing them (discovery
	// on restricted topics); not allowed on analytics purposes.
	TagOnly bool `yaml:"tag_only"`
	// NATS, when set, makes this output a NATS JetStream subject instead of
	// a topic of kafka.outputs.
	NATS *natsio.Config `yaml:"nats"`
}

// KeysConfig says where pseudonym keys come from.
type KeysConfig struct {
	// Dir holds one secret file per customer (a mounted Kubernetes Secret);
	// deleting a customer's file destroys their pseudonyms' linkability.
	// Empty means keys held in memory only, which link nothing across
	// restarts or replicas.
	Dir string `yaml:"dir"`
	// Rotation is the key period: day (default), week or month.
	Rotation string `yaml:"rotation"`
	// Refresh is how often Dir is re-read. Default one minute.
	Refresh time.Duration `yaml:"refresh"`
}

// DefaultMatchTimeout is the pipeline's match timeout: generous, because a
// timeout dead-letters the event and a loaded node can stall a search.
const DefaultMatchTimeout = 500 * time.Millisecond

// LoadConfig reads and validates a YAML configuration file. Unknown keys
// are errors, and errors name the file, line and key.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig parses and validates configuration data; name is used in
// errors.
func ParseConfig(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return &c, nil
}

// Validate checks the configuration; errors name the key at fault.
func (c *Config) Validate() error {
	var errs []error
	if err := c.Kafka.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("kafka: %w", err))
	}
	if err := c.Stream.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("stream: %w", err))
	}
	kafkaOut := map[string]bool{}
	for _, o := range c.Kafka.Outputs {
		name := o.Name
		if name == "" {
			name = o.Topic
		}
		kafkaOut[name] = true
	}
	natsOut := 0
	for _, o := range c.Outputs {
		if o.NATS != nil {
			natsOut++
		}
	}
	if len(c.Kafka.Outputs)+natsOut == 0 && len(c.Aggregates) == 0 {
		errs = append(errs, errors.New("outputs: at least one output is required: a topic in kafka.outputs, an outputs entry with nats, or an aggregates entry"))
	}
	seen := map[string]bool{}
	for i, o := range c.Outputs {
		key := fmt.Sprintf("outputs[%d]", i)
		if o.Name == "" {
			errs = append(errs, fmt.Errorf("%s.name: required", key))
			continue
		}
		if seen[o.Name] {
			errs = append(errs, fmt.Errorf("%s.name: output %q listed twice", key, o.Name))
		}
		seen[o.Name] = true
		switch {
		case o.NATS != nil && kafkaOut[o.Name]:
			errs = append(errs, fmt.Errorf("%s.nats: output %q is also a kafka output; name the NATS output differently", key, o.Name))
		case o.NATS != nil:
			if err := o.NATS.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("%s.nats: %w", key, err))
			}
		case !kafkaOut[o.Name]:
			errs = append(errs, fmt.Errorf("%s.name: %q is not an output of kafka.outputs (nor a nats output)", key, o.Name))
		}
		p, err := policy.ParsePurpose(o.Purpose)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.purpose: %w", key, err))
		} else if o.TagOnly && p.Analytics() {
			errs = append(errs, fmt.Errorf("%s.tag_only: not allowed on the analytics purpose %s (it would forward raw events)", key, p))
		}
	}
	for name := range kafkaOut {
		if !seen[name] {
			errs = append(errs, fmt.Errorf("outputs: kafka output %q has no entry (every output needs a purpose)", name))
		}
	}
	if err := c.Telemetry.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("telemetry: %w", err))
	}
	if err := c.Reload.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("reload.%w", err))
	}
	switch c.SchemaViolations {
	case "", "reject", "classify":
	default:
		errs = append(errs, fmt.Errorf("schema_violations: %q is not reject or classify", c.SchemaViolations))
	}
	if c.MatchTimeout < 0 {
		errs = append(errs, errors.New("match_timeout: must not be negative"))
	}
	if c.MaxDepth < 0 {
		errs = append(errs, errors.New("max_depth: must not be negative"))
	}
	if c.Keys.Rotation != "" && !actions.Rotation(c.Keys.Rotation).Valid() {
		errs = append(errs, fmt.Errorf("keys.rotation: %q is not day, week or month", c.Keys.Rotation))
	}
	if c.Keys.Refresh < 0 {
		errs = append(errs, errors.New("keys.refresh: must not be negative"))
	}
	for topic, o := range c.Origins {
		if o == "" {
			errs = append(errs, fmt.Errorf("origins.%s: empty origin", topic))
		}
	}
	if len(c.Aggregates) > 0 {
		errs = append(errs, c.validateAggregates()...)
	}
	for _, path := range []struct{ key, p string }{{"policy", c.Policy}, {"rules", c.Rules}, {"schemas", c.Schemas}, {"keys.dir", c.Keys.Dir}} {
		if path.p == "" {
			continue
		}
		if _, err := os.Stat(path.p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path.key, err))
		}
	}
	return errors.Join(errs...)
}
