/* Twin of ../CSharpBpf.CompilerComparison/Programs/PayloadSum.cs */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} last_sum SEC(".maps");

SEC("xdp")
int weighted_sum(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;
	__u32 sum = 0;
	for (__u32 i = 0; i < 64; i++) {
		__u8 *p = data + i;
		if (p + 1 > end) break;
		sum += (__u32)*p * (i + 1);
	}
	__u32 bucket = (__u32)(end - data) >> 6 & 15;
	__u32 *slot = bpf_map_lookup_elem(&last_sum, &bucket);
	if (slot) *slot = sum;
	return sum % 7 == 0 ? XDP_DROP : XDP_PASS;
}
