using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>One kfunc argument: a scalar, or a trusted pointer to a kernel struct (PTR_TO_BTF_ID) of that name.</summary>
internal sealed record KfuncArg(string? StructName)
{
    public bool IsScalar => StructName == null;
}

/// <summary>A kernel function's prototype as the kernel's BTF gives it, plus the program types it is registered for.</summary>
internal sealed record KfuncPrototype(string Name, KfuncArg[] Args, bool ReturnsVoid, VerifierProgramType[]? ProgramTypes);

/// <summary>
/// The kfuncs the project ships declarations for (CSharpBpf.Kfuncs), with their Linux 6.18 prototypes:
/// the TCP congestion-control helpers of net/ipv4/tcp_cong.c, registered for struct_ops only
/// (bpf_tcp_ca_kfunc_set), and bpf_rcu_read_lock/unlock (no arguments, every program type). Other kfuncs keep the
/// lenient model: arguments unchecked, r0 an unknown scalar.
/// </summary>
internal static class KfuncPrototypes
{
    private static readonly KfuncArg Scalar = new((string?)null);
    private static readonly VerifierProgramType[] StructOpsOnly = { VerifierProgramType.StructOps };

    private static readonly Dictionary<string, KfuncPrototype> Table = new()
    {
        ["tcp_reno_ssthresh"] = new("tcp_reno_ssthresh", new[] { new KfuncArg("sock") }, false, StructOpsOnly),
        ["tcp_reno_cong_avoid"] = new("tcp_reno_cong_avoid", new[] { new KfuncArg("sock"), Scalar, Scalar }, true, StructOpsOnly),
        ["tcp_reno_undo_cwnd"] = new("tcp_reno_undo_cwnd", new[] { new KfuncArg("sock") }, false, StructOpsOnly),
        ["tcp_slow_start"] = new("tcp_slow_start", new[] { new KfuncArg("tcp_sock"), Scalar }, false, StructOpsOnly),
        ["tcp_cong_avoid_ai"] = new("tcp_cong_avoid_ai", new[] { new KfuncArg("tcp_sock"), Scalar, Scalar }, true, StructOpsOnly),
        ["bpf_rcu_read_lock"] = new("bpf_rcu_read_lock", new KfuncArg[0], true, null),
        ["bpf_rcu_read_unlock"] = new("bpf_rcu_read_unlock", new KfuncArg[0], true, null),
    };

    public static KfuncPrototype? Find(string name) => Table.TryGetValue(name, out var p) ? p : null;
}
