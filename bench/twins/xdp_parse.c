/* Twin of ../CSharpBpf.CompilerComparison/Programs/XdpParse.cs */
#include "common.h"

SEC("xdp")
int parse_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if (data + sizeof(struct ethhdr) > end) return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;

	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)ip + sizeof(struct iphdr) > end) return XDP_DROP;
	__u32 ihl = ip->ihl;
	if (ihl < 5) return XDP_DROP;
	if (ip->protocol != IPPROTO_UDP) return XDP_PASS;

	struct udphdr *udp = (void *)ip + ihl * 4;
	if ((void *)udp + sizeof(struct udphdr) > end) return XDP_DROP;
	if (udp->dest == bpf_htons(9)) return XDP_DROP;
	if (bpf_ntohs(udp->len) > 1472) return XDP_DROP;
	return XDP_PASS;
}
