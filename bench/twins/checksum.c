/* Twin of ../CSharpBpf.CompilerComparison/Programs/Checksum.cs */
#include "common.h"

SEC("xdp")
int ipv4_checksum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) > end) return XDP_DROP;
	if (((struct ethhdr *)data)->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;

	__u16 *words = data + sizeof(struct ethhdr);
	__u32 sum = 0;
	for (int i = 0; i < 10; i++) sum += words[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum == 0 ? XDP_PASS : XDP_DROP;
}
