/* Twin of ../CSharpBpf.CompilerComparison/Programs/SockoptRewrite.cs */
#include "common.h"

#define SOL_IP 0
#define IP_TTL 2

SEC("cgroup/getsockopt")
int getsockopt_ttl(struct bpf_sockopt *ctx)
{
	int *v = ctx->optval;
	if (ctx->level != SOL_IP || ctx->optname != IP_TTL) return 1;
	if ((void *)(v + 1) > ctx->optval_end) return 1;
	*v = 99;
	ctx->optlen = sizeof(int);
	/* Without the barrier clang -O2 merges the two adjacent 32-bit context stores into one
	 * 64-bit store, which the verifier refuses ("invalid bpf_context access off=32 size=8"). */
	asm volatile("" ::: "memory");
	ctx->retval = 0;
	return 1;
}
