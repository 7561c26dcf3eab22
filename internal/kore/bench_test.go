package kore

import "testing"

func BenchmarkDecodePage1000(b *testing.B) {
	body := buildPage(pageSize, "https://pw.example.test/v1/UsageRecords?Page=1")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		recs, _, err := decodePage(body)
		if err != nil || len(recs) != pageSize {
			b.Fatal(len(recs), err)
		}
	}
}
