package validate

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
)

func TestBase58Check(t *testing.T) {
	check(t, "Base58Check", Base58Check, []struct {
		in   string
		want bool
		why  string
	}{
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", true, "P2PKH address"},
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", true, "genesis block address"},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true, "P2SH address (BIP-13 example)"},
		{"1111111111111111111114oLvT2", true, "all-zero hash160, leading-one run"},
		{"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", true, "WIF private key"},
		{"xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8", true, "BIP-32 test vector 1 master xpub"},
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpyU", false, "last character changed"},
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpy", false, "truncated"},
		{"1BoatSLRHtKNngkdXEe0bR76b53LETtpyT", false, "0 is not in the alphabet"},
		{"1BoatSLRHtKNngkdXEeIbR76b53LETtpyT", false, "I is not in the alphabet"},
		{"1111", false, "zero bytes only, no checksum"},
		{"", false, "empty"},
		{strings.Repeat("z", 200), false, "too long for the buffer"},
	})
}

func TestBech32(t *testing.T) {
	check(t, "Bech32", Bech32, []struct {
		in   string
		want bool
		why  string
	}{
		// BIP-173 valid test vectors.
		{"A12UEL5L", true, "BIP-173"},
		{"a12uel5l", true, "BIP-173"},
		{"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs", true, "BIP-173, 83-char HRP"},
		{"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", true, "BIP-173"},
		{"11" + strings.Repeat("q", 82) + "c8247j", true, "BIP-173, 90 characters"},
		{"11" + strings.Repeat("q", 84) + "c8247j", false, "92 characters"},
		{"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", true, "BIP-173"},
		{"?1ezyfcl", true, "BIP-173, HRP '?'"},
		// BIP-350 valid test vectors.
		{"A1LQFN3A", true, "BIP-350"},
		{"a1lqfn3a", true, "BIP-350"},
		{"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", true, "BIP-350"},
		{"split1checkupstagehandshakeupstreamerranterredcaperredlc445v", true, "BIP-350"},
		{"?1v759aa", true, "BIP-350"},
		// Invalid.
		{"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", false, "longer than 90"},
		{"pzry9x0s0muk", false, "no separator"},
		{"1pzry9x0s0muk", false, "empty HRP"},
		{"x1b4n0q5v", false, "b is not a data character"},
		{"li1dgmt3", false, "checksum too short"},
		{"A1G7SGD8", false, "checksum computed with upper-case HRP"},
		{"10a06t8", false, "empty HRP"},
		{"1qzzfhee", false, "empty HRP"},
		{"de1lg7wt\xff", false, "byte above 126"},
		{"A12uEL5L", false, "mixed case"},
		{"a12uel5m", false, "checksum"},
		{"", false, "empty"},
	})
}

func TestBitcoinAddress(t *testing.T) {
	check(t, "BitcoinAddress", BitcoinAddress, []struct {
		in   string
		want bool
		why  string
	}{
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", true, "P2PKH"},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true, "P2SH"},
		{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", true, "P2WPKH"},
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", true, "BIP-173 v0, upper case"},
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", true, "BIP-173 v0 32-byte testnet"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", true, "BIP-350 v1 (taproot)"},
		{"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", false, "WIF key is Base58Check but not an address"},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", false, "BIP-350: v0 with a Bech32m checksum"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", false, "BIP-350: v1 with a Bech32 checksum"},
		{"tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", false, "BIP-173: unknown HRP tc"},
		{"a12uel5l", false, "valid Bech32, not an address"},
		{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr", false, "checksum"},
	})
}

func TestEthereumAddress(t *testing.T) {
	check(t, "EthereumAddress", EthereumAddress, []struct {
		in   string
		want bool
		why  string
	}{
		// EIP-55 test vectors.
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true, "EIP-55"},
		{"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", true, "EIP-55"},
		{"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", true, "EIP-55"},
		{"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", true, "EIP-55"},
		{"0x52908400098527886E0F7030069857D2E4169EE7", true, "all caps, no checksum"},
		{"0xde709f2102306220921060314715629080e2fb77", true, "all lower, no checksum"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", false, "one letter's case flipped"},
		{"0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", false, "one letter's case flipped"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", false, "39 hex digits"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", false, "41 hex digits"},
		{"0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", false, "0X prefix"},
		{"0xgaaeb6053f3e94c9b9a09f33669435e7ef1beaed", false, "non-hex"},
	})
}

func TestCrypto(t *testing.T) {
	check(t, "Crypto", Crypto, []struct {
		in   string
		want bool
		why  string
	}{
		{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", true, "BTC P2PKH"},
		{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", true, "BTC segwit"},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true, "ETH EIP-55"},
		{"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", false, "private key, not an address"},
		{"LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", false, "Litecoin is not supported"},
		{"hello", false, "text"},
	})
}

// bigBase58 decodes s with math/big, as a reference for decodeBase58.
func bigBase58(s string) ([]byte, bool) {
	n := new(big.Int)
	for i := 0; i < len(s); i++ {
		d := base58Digit(s[i])
		if d < 0 {
			return nil, false
		}
		n.Mul(n, big.NewInt(58))
		n.Add(n, big.NewInt(int64(d)))
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	return append(make([]byte, zeros), n.Bytes()...), true
}

func FuzzDecodeBase58(f *testing.F) {
	for _, s := range []string{"1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1111", "1", "z", "zzzzzz", "2", "11112"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [maxBase58Decoded]byte
		got, ok := decodeBase58(&buf, s)
		want, wantOK := bigBase58(s)
		if s == "" {
			wantOK = false
		}
		if wantOK && len(want) > maxBase58Decoded {
			wantOK = false
		}
		if ok != wantOK || (ok && !bytes.Equal(got, want)) {
			t.Fatalf("decodeBase58(%q) = %x, %v; want %x, %v", s, got, ok, want, wantOK)
		}
	})
}
