// cgroup getsockopt (issue 4): answers IP_TTL with 99 inside the optval/optval_end bounds.
// Twin: ../../twins/sockopt_rewrite.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SockoptRewrite
{
    const int SolIp = 0, IpTtl = 2;

    [CgroupSockopt(SockoptDirection.Get)]
    static int getsockopt_ttl(bpf_sockopt* ctx)
    {
        int* v = (int*)ctx->optval;
        if (ctx->level != SolIp || ctx->optname != IpTtl) return 1;
        if ((byte*)(v + 1) > ctx->optval_end) return 1;
        *v = 99;
        ctx->optlen = sizeof(int);
        ctx->retval = 0;
        return 1;
    }
}
