/* Twin of ../CSharpBpf.CompilerComparison/Programs/TcSwitch.cs */
#include "common.h"

SEC("tc")
int mark_by_protocol(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	if (data + sizeof(struct ethhdr) + sizeof(struct iphdr) > end) return TC_ACT_OK;
	if (((struct ethhdr *)data)->h_proto != bpf_htons(ETH_P_IP)) return TC_ACT_OK;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	switch (ip->protocol) {
	case IPPROTO_TCP: skb->mark = 1; break;
	case IPPROTO_UDP: skb->mark = 2; break;
	case IPPROTO_ICMP: return TC_ACT_SHOT;
	case IPPROTO_GRE: skb->mark = 4; break;
	case IPPROTO_ESP: skb->mark = 5; break;
	case IPPROTO_SCTP: skb->mark = 6; break;
	default: skb->mark = 0; break;
	}
	return TC_ACT_OK;
}
