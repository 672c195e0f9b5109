// Package validate holds the validators that classifier rules name in YAML
// (`validators: [luhn]`): checksums, numbering plans and format rules that
// decide whether a candidate a pattern matched is a plausible instance of
// its entity type. A validator is a Func over the matched text as people
// write it, separators included; Lookup finds one by name and Names lists
// them all.
//
// Validators check the candidate alone. Whether a plausible value is
// personal data in its place (a 5-digit number next to "zip", a date next
// to "born", dotted numbers that are a version rather than an address) is
// the job of the rule's context words, not of this package.
//
// The registered names and what each checks:
//
//	luhn         Luhn: ≥ 2 digits (spaces/dashes allowed) pass the mod-10 check
//	credit_card  CreditCard: 13–19 digits, Luhn, length and IIN of a known network
//	             (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro,
//	             Mir, RuPay, Troy, Verve, UATP); one repeated digit fails
//	iban         IBAN: ISO 13616 registry country and length, check digits
//	             02–98, MOD 97-10; grouped or not, any case
//	us_ssn       USSSN: 9 digits, one separator kind, area not 000/666/9xx,
//	             group not 00, serial not 0000, published and repeated-digit
//	             numbers rejected
//	ca_sin       CASIN: 9 digits (3-3-3 grouping optional), Luhn, first digit
//	             not 0 or 8
//	uk_nino      UKNINO: HMRC prefix rules, 6 digits, suffix A–D, spaces optional
//	ip           IP: IPv4 or IPv6 address (zones, v4-mapped) or CIDR prefix,
//	             by net/netip; octets with leading zeros fail
//	ipv4, ipv6   IPv4, IPv6: as ip, restricted to one family
//	phone        Phone: 7–15 digits, valid by libphonenumber metadata as an
//	             international number (+ or 00) or a national number of one of
//	             PhoneRegions (US, CA, GB, FR, DE, AT, CH, BE, NL, IE, AU, IN,
//	             TR, PH, ES, IT) written with its trunk prefix (not needed
//	             for NANP, TR and Indian mobiles)
//	postal       Postal: any of the postal_* formats below (format only: a bare
//	             5-digit number needs context)
//	postal_us    PostalUS: ZIP "12345" or ZIP+4 "12345-6789", not 00000
//	postal_ca    PostalCA: "A1A 1A1", Canada Post letter rules
//	postal_uk    PostalUK: UK postcode (real postcode areas, six outward
//	             formats, inward letter rules), GIR 0AA, overseas 1ZZ codes
//	postal_de    PostalDE: 5 digits 01001–99998
//	postal_fr    PostalFR: 5 digits, département prefix 01–95, 97, 98
//	postal_nl    PostalNL: "1234 AB", first digit not 0, letters not SA/SD/SS
//	postal_ch    PostalCH: 4 digits 1000–9699
//	postal_at    PostalAT: 4 digits 1010–9992
//	postal_be    PostalBE: 4 digits 1000–9992
//	postal_dk    PostalDK: 4 digits 0800–9990
//	base58check  Base58Check: Bitcoin-alphabet Base58 with a valid 4-byte
//	             double-SHA-256 checksum
//	bech32       Bech32: BIP-173 Bech32 or BIP-350 Bech32m string, ≤ 90
//	             characters, not mixed case
//	crypto       Crypto: btc_address or eth_address
//	btc_address  BitcoinAddress: P2PKH/P2SH (Base58Check, version 0x00/0x05)
//	             or segwit bc1/tb1 (Bech32 v0, Bech32m v1+)
//	eth_address  EthereumAddress: 0x + 40 hex, EIP-55 checksum when mixed case
//	jwt          JWT: three base64url segments, JSON object header with "alg"
//	             and JSON object payload
//	secret       Secret: known credential prefixes, PEM private keys, bearer
//	             tokens, JWTs, or a long token with Shannon entropy ≥
//	             SecretEntropyThreshold (UUIDs and hex hashes rejected)
//	email        Email: dot-atom local part, valid domain labels (IDN
//	             converted to punycode), TLD in the ICANN Public Suffix List
//	mac          MAC: EUI-48 with colons, dashes or Cisco dots, one separator
//	             kind; all-zero address fails, broadcast passes
//	geo          GeoCoordinate: "lat, lon" with signs or N/S/E/W, ranges,
//	             ≥ 3 decimals each
//	date         Date: existing calendar date in ISO, D/M/Y, M/D/Y, D.M.Y or
//	             month-name forms (English, French, German), year 1900 to now
//	date_short_year
//	             DateShortYear: existing D/M/YY, M/D/YY or D.M.YY date, the
//	             year read as the latest one not after this year
//
// The validators of fixed-size identifiers (Luhn, CreditCard, IBAN, USSSN,
// CASIN, UKNINO, the postal codes, MAC, Base58Check, Bech32, BitcoinAddress)
// work in fixed stack buffers and do not allocate. Phone, Email, JWT and the
// mixed-case branch of EthereumAddress allocate inside the libraries they
// call; rules should reach them only through a pattern that already
// matched.
package validate
