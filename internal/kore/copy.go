package kore

// copyRecords deep-copies records so that no caller can change the cached
// answer another caller will receive.
func copyRecords(in []UsageRecord) []UsageRecord {
	if in == nil {
		return nil
	}
	out := make([]UsageRecord, len(in))
	for i, r := range in {
		r.Commands = r.Commands.clone()
		r.Data = r.Data.clone()
		out[i] = r
	}
	return out
}
