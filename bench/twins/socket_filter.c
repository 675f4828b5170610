/* Twin of ../CSharpBpf.CompilerComparison/Programs/SocketFilter.cs */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} bytes_by_type SEC(".maps");

SEC("socket")
int keep_ipv4(struct __sk_buff *skb)
{
	if (skb->protocol != bpf_htons(ETH_P_IP)) return 0;
	__u32 kind = skb->pkt_type & 3;
	__u64 *c = bpf_map_lookup_elem(&bytes_by_type, &kind);
	if (c) *c += skb->len;
	if (skb->pkt_type == 3) return 0; /* PACKET_OTHERHOST */
	return skb->len > 1500 ? 1500 : (int)skb->len;
}
