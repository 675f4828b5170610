// sock_ops (issue 4): counts each callback by op, answers TIMEOUT_INIT and RWND_INIT through
// ctx->reply and sets SO_MARK with bpf_setsockopt on established sockets. Twin: ../../twins/sockops_reply.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SockOpsReply
{
    const int SolSocket = 1, SoMark = 36, Mark = 0xc5b;
    const uint TimeoutInit = 1, RwndInit = 2, ActiveEstablished = 4, PassiveEstablished = 5;

    [Map(MaxEntries = 16)] static ArrayMap<ulong> ops;

    [SockOps]
    static int sockops_reply(bpf_sock_ops* skops)
    {
        uint op = skops->op;
        int v = Mark;
        if (op < 16)
        {
            ulong* n = ops.Lookup(op);
            if (n != null) *n += 1;
        }
        switch (op)
        {
            case TimeoutInit: skops->reply = 50; break;
            case RwndInit: skops->reply = 40; break;
            case ActiveEstablished:
            case PassiveEstablished:
                KernelHelpers.SetSockopt(skops, SolSocket, SoMark, &v, sizeof(int));
                break;
        }
        return 1;
    }
}
