package validate

import (
	"crypto/sha256"
	"strings"

	"golang.org/x/crypto/sha3"
)

// maxBase58Decoded bounds the bytes Base58Check decodes into its stack
// buffer: enough for every Base58Check format in use (addresses are 25
// bytes, WIF keys 38, BIP-32 extended keys 82).
const maxBase58Decoded = 128

// base58Digit returns the value of c in the Bitcoin Base58 alphabet
// (123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz), or -1.
func base58Digit(c byte) int {
	switch {
	case '1' <= c && c <= '9':
		return int(c - '1')
	case 'A' <= c && c <= 'H':
		return 9 + int(c-'A')
	case 'J' <= c && c <= 'N':
		return 17 + int(c-'J')
	case 'P' <= c && c <= 'Z':
		return 22 + int(c-'P')
	case 'a' <= c && c <= 'k':
		return 33 + int(c-'a')
	case 'm' <= c && c <= 'z':
		return 44 + int(c-'m')
	}
	return -1
}

// decodeBase58 decodes s into dst, big-endian, and returns the decoded
// bytes (a suffix of dst). Each leading '1' stands for a leading zero byte.
// It fails on a byte outside the alphabet or when the value does not fit.
//
// The number is accumulated in 32-bit limbs, five base-58 digits (58^5 <
// 2^30) at a time, which keeps the quadratic work small.
func decodeBase58(dst *[maxBase58Decoded]byte, s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	var limbs [maxBase58Decoded / 4]uint32 // little-endian
	used := 0
	for i := zeros; i < len(s); {
		mul, carry := uint64(1), uint64(0)
		for k := 0; k < 5 && i < len(s); k++ {
			d := base58Digit(s[i])
			if d < 0 {
				return nil, false
			}
			mul *= 58
			carry = carry*58 + uint64(d)
			i++
		}
		for j := 0; j < used; j++ {
			carry += uint64(limbs[j]) * mul
			limbs[j] = uint32(carry)
			carry >>= 32
		}
		if carry > 0 {
			if used == len(limbs) {
				return nil, false
			}
			limbs[used] = uint32(carry) // carry < mul < 2^32
			used++
		}
	}
	// Significant bytes of the number, then the zero bytes the '1's stand for.
	sig := used * 4
	for sig > 0 && byte(limbs[(sig-1)/4]>>(8*uint((sig-1)%4))) == 0 {
		sig--
	}
	if zeros+sig > len(dst) {
		return nil, false
	}
	start := len(dst) - zeros - sig
	for k := 0; k < zeros; k++ {
		dst[start+k] = 0
	}
	for k := 0; k < sig; k++ {
		// Byte k of the number counted from the least significant end.
		dst[len(dst)-1-k] = byte(limbs[k/4] >> (8 * uint(k%4)))
	}
	return dst[start:], true
}

// base58CheckPayload decodes a Base58Check string and returns its payload
// (version byte included, checksum removed) when the checksum holds.
func base58CheckPayload(dst *[maxBase58Decoded]byte, s string) ([]byte, bool) {
	b, ok := decodeBase58(dst, s)
	if !ok || len(b) < 5 {
		return nil, false
	}
	payload, sum := b[:len(b)-4], b[len(b)-4:]
	h := sha256.Sum256(payload)
	h = sha256.Sum256(h[:])
	if h[0] != sum[0] || h[1] != sum[1] || h[2] != sum[2] || h[3] != sum[3] {
		return nil, false
	}
	return payload, true
}

// Base58Check reports whether s is a Base58Check string (Bitcoin
// alphabet) whose last four decoded bytes are the first four bytes of the
// double SHA-256 of the rest, with at least one payload byte. It accepts
// any version byte and payload length up to 124 bytes: addresses, WIF
// private keys and BIP-32 extended keys all qualify.
func Base58Check(s string) bool {
	var buf [maxBase58Decoded]byte
	_, ok := base58CheckPayload(&buf, s)
	return ok
}

// Checksum constants of the two Bech32 variants.
const (
	bech32Const  = 1          // BIP-173
	bech32mConst = 0x2bc830a3 // BIP-350
)

// bech32Polymod computes the BCH checksum polynomial over 5-bit values.
func bech32Polymod(chk uint32, v byte) uint32 {
	top := chk >> 25
	chk = (chk&0x1ffffff)<<5 ^ uint32(v)
	chk ^= -(top & 1) & 0x3b6a57b2
	chk ^= -(top >> 1 & 1) & 0x26508e6d
	chk ^= -(top >> 2 & 1) & 0x1ea119fa
	chk ^= -(top >> 3 & 1) & 0x3d4233dd
	chk ^= -(top >> 4 & 1) & 0x2a1462b3
	return chk
}

// bech32Rev maps an ASCII byte to its Bech32 data value (either case), or
// -1 when it is not in the alphabet qpzry9x8gf2tvdw0s3jn54khce6mua7l.
var bech32Rev = [128]int8{
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	15, -1, 10, 17, 21, 20, 26, 30, 7, 5, -1, -1, -1, -1, -1, -1,
	-1, 29, -1, 24, 13, 25, 9, 8, 23, -1, 18, 22, 31, 27, 19, -1,
	1, 0, 3, 16, 11, 28, 12, 14, 6, 4, 2, -1, -1, -1, -1, -1,
	-1, 29, -1, 24, 13, 25, 9, 8, 23, -1, 18, 22, 31, 27, 19, -1,
	1, 0, 3, 16, 11, 28, 12, 14, 6, 4, 2, -1, -1, -1, -1, -1,
}

// maxBech32 is the longest Bech32 string BIP-173 allows.
const maxBech32 = 90

// decodeBech32 checks s as a Bech32 or Bech32m string. It returns the
// human-readable part as written, the 5-bit data values with the six
// checksum values removed (in dst), and the checksum constant that matched.
func decodeBech32(dst *[maxBech32]byte, s string) (hrp string, data []byte, variant uint32, ok bool) {
	if len(s) < 8 || len(s) > maxBech32 {
		return "", nil, 0, false
	}
	lower, upperSeen := false, false
	sep := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 33 || c > 126:
			return "", nil, 0, false
		case isLower(c):
			lower = true
		case isUpper(c):
			upperSeen = true
		}
		if c == '1' {
			sep = i
		}
	}
	if lower && upperSeen {
		return "", nil, 0, false
	}
	if sep < 1 || sep+7 > len(s) {
		return "", nil, 0, false
	}
	chk := uint32(1)
	for i := 0; i < sep; i++ {
		chk = bech32Polymod(chk, lowerByte(s[i])>>5)
	}
	chk = bech32Polymod(chk, 0)
	for i := 0; i < sep; i++ {
		chk = bech32Polymod(chk, lowerByte(s[i])&31)
	}
	n := 0
	for i := sep + 1; i < len(s); i++ {
		v := bech32Rev[s[i]&0x7f] // s[i] <= 126 was checked above
		if v < 0 {
			return "", nil, 0, false
		}
		chk = bech32Polymod(chk, byte(v))
		dst[n] = byte(v)
		n++
	}
	if chk != bech32Const && chk != bech32mConst {
		return "", nil, 0, false
	}
	return s[:sep], dst[:n-6], chk, true
}

// lowerByte maps an ASCII upper-case letter to lower case.
func lowerByte(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

// Bech32 reports whether s is a Bech32 (BIP-173) or Bech32m (BIP-350)
// string: a human-readable part of 1–83 printable ASCII characters, the
// separator '1', at least six data characters from the Bech32 alphabet and
// a valid checksum of either variant, at most 90 characters in all and not
// of mixed case.
func Bech32(s string) bool {
	var buf [maxBech32]byte
	_, _, _, ok := decodeBech32(&buf, s)
	return ok
}

// segwitAddress reports whether s is a Bitcoin segwit address (BIP-173 and
// BIP-350): human-readable part bc (mainnet) or tb (testnet), witness
// version 0 with a 20- or 32-byte program and the Bech32 checksum, or
// version 1–16 with a 2–40-byte program and the Bech32m checksum.
func segwitAddress(s string) bool {
	var buf [maxBech32]byte
	hrp, data, variant, ok := decodeBech32(&buf, s)
	if !ok || len(data) < 1 || !(strings.EqualFold(hrp, "bc") || strings.EqualFold(hrp, "tb")) {
		return false
	}
	ver := data[0]
	if ver > 16 {
		return false
	}
	// Regroup the 5-bit program values into bytes, without padding.
	acc, bits, progLen := uint32(0), uint(0), 0
	for _, v := range data[1:] {
		acc = acc<<5 | uint32(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			progLen++
		}
		acc &= 1<<bits - 1
	}
	if bits > 4 || acc != 0 || progLen < 2 || progLen > 40 {
		return false
	}
	if ver == 0 {
		return variant == bech32Const && (progLen == 20 || progLen == 32)
	}
	return variant == bech32mConst
}

// BitcoinAddress reports whether s is a Bitcoin address: a mainnet
// P2PKH or P2SH address (Base58Check, 25 bytes, version byte 0x00 or 0x05,
// "1…" or "3…") or a segwit address (bc1… or tb1…, Bech32 for witness
// version 0, Bech32m for later versions).
func BitcoinAddress(s string) bool {
	if len(s) >= 25 && len(s) <= 35 && (s[0] == '1' || s[0] == '3') {
		var buf [maxBase58Decoded]byte
		p, ok := base58CheckPayload(&buf, s)
		return ok && len(p) == 21 && (p[0] == 0x00 || p[0] == 0x05)
	}
	return segwitAddress(s)
}

// EthereumAddress reports whether s is an Ethereum address: "0x" and 40
// hexadecimal digits. When the letters are of mixed case the EIP-55
// checksum must hold (a letter is upper case exactly when the matching
// nibble of the Keccak-256 hash of the lower-case hex is 8 or more); all
// lower-case or all upper-case addresses carry no checksum and pass.
func EthereumAddress(s string) bool {
	if len(s) != 42 || s[0] != '0' || s[1] != 'x' {
		return false
	}
	var lower [40]byte
	hasLower, hasUpper := false, false
	for i := 0; i < 40; i++ {
		c := s[2+i]
		if !isHex(c) {
			return false
		}
		hasLower = hasLower || isLower(c)
		hasUpper = hasUpper || isUpper(c)
		lower[i] = lowerByte(c)
	}
	if !hasLower || !hasUpper {
		return true
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(lower[:])
	var sum [32]byte
	h.Sum(sum[:0])
	for i := 0; i < 40; i++ {
		c := s[2+i]
		if isDigit(c) {
			continue
		}
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if (nibble >= 8) != isUpper(c) {
			return false
		}
	}
	return true
}

// Crypto reports whether s is a cryptocurrency wallet address: a Bitcoin
// address (see BitcoinAddress) or an Ethereum address (see
// EthereumAddress).
func Crypto(s string) bool {
	return BitcoinAddress(s) || EthereumAddress(s)
}
