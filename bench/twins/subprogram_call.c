/* Twin of ../CSharpBpf.CompilerComparison/Programs/SubprogramCall.cs */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

static __attribute__((noinline)) __u32 mix(__u32 a, __u32 b)
{
	a ^= b;
	a *= 0x9e3779b1;
	return a ^ (a >> 15);
}

SEC("xdp")
int flow_bucket(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) > end) return XDP_PASS;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	__u32 h = mix(ip->saddr, ip->daddr);
	h = mix(h, ip->protocol);
	__u32 key = h & 63;
	__u64 *n = bpf_map_lookup_elem(&buckets, &key);
	if (n) *n += 1;
	return XDP_PASS;
}
