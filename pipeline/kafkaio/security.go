package kafkaio

import (
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"

	"github.com/veilstream/veil/pipeline/credentials"
)

// connector holds what every connection to the cluster needs.
type connector struct {
	clientID string
	brokers  []string
	tls      *tls.Config
	sasl     sasl.Mechanism
}

func newConnector(c *Config) (*connector, error) {
	tc, err := c.TLS.build()
	if err != nil {
		return nil, err
	}
	m, err := c.SASL.build()
	if err != nil {
		return nil, err
	}
	return &connector{clientID: c.ClientID, brokers: c.Brokers, tls: tc, sasl: m}, nil
}

func (cn *connector) dialer() *kafka.Dialer {
	return &kafka.Dialer{
		ClientID:      cn.clientID,
		Timeout:       10 * time.Second,
		DualStack:     true,
		TLS:           cn.tls,
		SASLMechanism: cn.sasl,
	}
}

func (cn *connector) transport() *kafka.Transport {
	return &kafka.Transport{
		Dial:        (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		DialTimeout: 10 * time.Second,
		ClientID:    cn.clientID,
		TLS:         cn.tls,
		SASL:        cn.sasl,
	}
}

// Dialer returns a kafka-go Dialer that reaches the cluster as veil's own
// consumers and producers do: the client id, TLS (CA, client certificate,
// server name) and SASL (the password read now from its file or
// environment variable, kept only inside the mechanism). c must have been
// validated. Other packages use it for connections kafkaio does not make
// itself (reading a compacted topic from its start, looking up partitions).
func (c *Config) Dialer() (*kafka.Dialer, error) {
	cn, err := newConnector(c)
	if err != nil {
		return nil, err
	}
	return cn.dialer(), nil
}

// Transport returns a kafka-go Transport with the same connection settings
// as Dialer, for a kafka.Writer or a kafka.Client (metadata, offsets,
// consumer group offsets). c must have been validated.
func (c *Config) Transport() (*kafka.Transport, error) {
	cn, err := newConnector(c)
	if err != nil {
		return nil, err
	}
	return cn.transport(), nil
}

// build returns the tls.Config, or nil when TLS is off.
func (t *TLSConfig) build() (*tls.Config, error) {
	if !t.Enabled {
		return nil, nil
	}
	tc, err := credentials.ClientTLS(credentials.TLSFiles{CAFile: t.CAFile, CertFile: t.CertFile, KeyFile: t.KeyFile,
		ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerifyDangerous})
	if err != nil {
		return nil, fmt.Errorf("kafka config: %w", err)
	}
	return tc, nil
}

// build returns the SASL mechanism, or nil when SASL is off. The password is
// read here and kept only inside the mechanism.
func (s *SASLConfig) build() (sasl.Mechanism, error) {
	if s.Mechanism == "" {
		return nil, nil
	}
	password, err := credentials.Secret("sasl.password_file", s.PasswordFile, "sasl.password_env", s.PasswordEnv)
	if err != nil {
		return nil, fmt.Errorf("kafka config: %w", err)
	}
	switch s.Mechanism {
	case SASLPlain:
		return plain.Mechanism{Username: s.Username, Password: password}, nil
	case SASLScramSHA256, SASLScramSHA512:
		algo := scram.SHA256
		if s.Mechanism == SASLScramSHA512 {
			algo = scram.SHA512
		}
		m, err := scram.Mechanism(algo, s.Username, password)
		if err != nil {
			return nil, fmt.Errorf("kafka config: sasl.mechanism %s: %w", s.Mechanism, err)
		}
		return m, nil
	}
	return nil, fmt.Errorf("kafka config: sasl.mechanism: %q is not supported", s.Mechanism)
}

func compression(name string) kafka.Compression {
	switch name {
	case CompressionGzip:
		return kafka.Gzip
	case CompressionSnappy:
		return kafka.Snappy
	case CompressionLZ4:
		return kafka.Lz4
	case CompressionZstd:
		return kafka.Zstd
	}
	return 0
}

func balancer(partitioning, name string) kafka.Balancer {
	if partitioning == PartitionSource {
		return sourceBalancer{}
	}
	switch name {
	case BalancerCRC32:
		return &kafka.CRC32Balancer{}
	case BalancerFNV1a:
		return &kafka.Hash{}
	case BalancerRoundRobin:
		return &kafka.RoundRobin{}
	case BalancerLeastBytes:
		return &kafka.LeastBytes{}
	}
	return &kafka.Murmur2Balancer{}
}

// sourceBalancer places a record on the partition numbered like its input
// partition, which the Sink stores in Message.Partition before writing.
type sourceBalancer struct{}

// Balance returns msg.Partition when the topic has it. The Sink checks the
// partition count when a partition is claimed, so the fallback (modulo the
// count) only serves a topic shrunk underneath a running processor.
func (sourceBalancer) Balance(msg kafka.Message, partitions ...int) int {
	p := msg.Partition
	if p >= 0 && p < len(partitions) && partitions[p] == p {
		return p
	}
	for _, q := range partitions {
		if q == p {
			return q
		}
	}
	if p < 0 {
		p = -p
	}
	return partitions[p%len(partitions)]
}
