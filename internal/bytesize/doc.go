// Package bytesize parses and formats byte quantities such as "1.5 GiB".
// It is pure (no I/O, no Terraform) so that the provider's parse_bytes and
// format_bytes functions stay thin and the rules can be fuzzed on their own.
//
// Parsing rules:
//   - a non-negative decimal number ("5", "1.5"; no sign, exponent, or
//     thousands separator), then optional spaces or tabs, then an optional unit;
//   - units are case-sensitive: B, SI kB MB GB TB PB (powers of 1000) and
//     IEC KiB MiB GiB TiB PiB (powers of 1024); no unit means bytes;
//   - "KB" (any case other than "kB") is rejected: the SI kilo is a lowercase
//     k, and "KB" is used for both 1000 and 1024 bytes, so it is ambiguous;
//   - a fractional byte result is rounded down ("1.3 GiB" is 1395864371);
//   - leading and trailing whitespace is ignored;
//   - results above the largest int64 are rejected.
//
// Formatting always uses IEC units: whole bytes below 1 KiB ("1023 B"),
// otherwise the largest unit up to PiB with two decimals rounded half up
// ("5.00 GiB"); values of 1024 PiB and more stay in PiB.
package bytesize
