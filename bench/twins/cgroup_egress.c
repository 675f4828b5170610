/* Twin of ../CSharpBpf.CompilerComparison/Programs/CgroupEgress.cs */
#include "common.h"

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct flow_stats);
} per_cookie SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} refused SEC(".maps");

SEC("cgroup_skb/egress")
int egress_quota(struct __sk_buff *skb)
{
	__u64 cookie = bpf_get_socket_cookie(skb);
	struct flow_stats *s = bpf_map_lookup_elem(&per_cookie, &cookie);
	if (!s) {
		struct flow_stats first;
		first.packets = 1;
		first.bytes = skb->len;
		bpf_map_update_elem(&per_cookie, &cookie, &first, BPF_NOEXIST);
		return 1;
	}
	s->packets += 1;
	s->bytes += skb->len;
	if (s->bytes > (1ULL << 30)) {
		__u32 zero = 0;
		__u64 *r = bpf_map_lookup_elem(&refused, &zero);
		if (r) *r += 1;
		return 0;
	}
	return 1;
}
