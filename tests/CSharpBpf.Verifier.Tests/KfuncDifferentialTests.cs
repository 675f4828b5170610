using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// The kfuncs the project ships, called from a tcp_congestion_ops "init" program (r1 = the u64 args array, its
/// first slot the struct sock *, promoted to tcp_sock): the managed verifier gives each case the verdict recorded for
/// Linux 6.18, and the kernel (kfunc calls carrying vmlinux BTF ids) gives it too.
/// </summary>
public class KfuncDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public KfuncDifferentialTests(ITestOutputHelper output) => _output = output;

    /// <summary><c>kfunc NAME</c> lines become kfunc calls; the rest is assembler.</summary>
    public sealed record KfuncCase(string Name, string Asm, bool KernelAccepts, string? Code = null)
    {
        public override string ToString() => Name;
    }

    private const string Sk = "        r6 = *(u64 *)(r1 + 0)\n";

    /// <summary>Offset of sock.__sk_common.skc_prot (a struct proto *) in tcp_sock.</summary>
    private static int SkcProt => TcpCaWrites.HaveVmlinux
        ? TcpCaWrites.OffsetOf("inet_conn", "icsk_inet", "sk", "__sk_common", "skc_prot") : 0;

    public static IEnumerable<object[]> Cases() => new KfuncCase[]
    {
        new("reno_ssthresh_on_the_socket", Sk + @"
        r1 = r6
        kfunc tcp_reno_ssthresh
        r0 += 1
        exit", true),
        new("slow_start_then_cong_avoid_ai", Sk + @"
        r1 = r6
        r2 = 2
        kfunc tcp_slow_start
        r1 = r6
        r2 = 10
        r3 = r0
        kfunc tcp_cong_avoid_ai
        r0 = 0
        exit", true),
        new("reno_cong_avoid_three_args", Sk + @"
        r1 = r6
        r2 = 1
        r3 = 1
        kfunc tcp_reno_cong_avoid
        r0 = 0
        exit", true),
        new("null_socket", @"
        r1 = 0
        kfunc tcp_reno_ssthresh
        exit", false, VerifierErrorCodes.NullPointer),
        new("scalar_socket", @"
        r1 = 64
        kfunc tcp_reno_undo_cwnd
        exit", false),
        new("ctx_instead_of_socket", @"
        kfunc tcp_reno_ssthresh
        exit", false, VerifierErrorCodes.BadHelperArg),
        new("socket_pointer_moved_into_the_struct", Sk + @"
        r1 = r6
        r1 += 8
        kfunc tcp_reno_ssthresh
        exit", false),
        new("pointer_to_another_kernel_struct", Sk + $@"
        r1 = *(u64 *)(r6 + {SkcProt})
        kfunc tcp_reno_ssthresh
        exit", false),
        new("missing_scalar_argument", Sk + @"
        r1 = r6
        r2 = 1
        kfunc tcp_cong_avoid_ai
        r0 = 0
        exit", false, VerifierErrorCodes.UninitRegister),
        new("pointer_for_scalar_argument", Sk + @"
        r1 = r6
        r2 = r6
        kfunc tcp_slow_start
        r0 = 0
        exit", false, VerifierErrorCodes.BadHelperArg),
        new("result_of_a_void_kfunc_used", Sk + @"
        r1 = r6
        r2 = 1
        r3 = 1
        kfunc tcp_reno_cong_avoid
        r0 += 1
        exit", false, VerifierErrorCodes.UninitRegister),
        new("rcu_lock_and_unlock", @"
        kfunc bpf_rcu_read_lock
        kfunc bpf_rcu_read_unlock
        r0 = 0
        exit", true),
        new("rcu_nested_lock", @"
        kfunc bpf_rcu_read_lock
        kfunc bpf_rcu_read_lock
        kfunc bpf_rcu_read_unlock
        kfunc bpf_rcu_read_unlock
        r0 = 0
        exit", false, VerifierErrorCodes.InvalidCall),
        new("rcu_unlock_without_lock", @"
        kfunc bpf_rcu_read_unlock
        r0 = 0
        exit", false, VerifierErrorCodes.InvalidCall),
        new("rcu_exit_while_locked", @"
        kfunc bpf_rcu_read_lock
        r0 = 0
        exit", false, VerifierErrorCodes.UnreleasedReference),
        new("rcu_unlocked_on_one_path_only", Sk + @"
        kfunc bpf_rcu_read_lock
        r1 = *(u32 *)(r6 + 0)
        if r1 == 0 goto +1
        kfunc bpf_rcu_read_unlock
        r0 = 0
        exit", false, VerifierErrorCodes.UnreleasedReference),
    }.Select(c => new object[] { c });

    /// <summary>The program with kfunc calls (imm = vmlinux FUNC id) and the call sites' kfunc names.</summary>
    private static (Instruction[] Code, Dictionary<int, string> Names) Build(KfuncCase c)
    {
        var code = new List<Instruction>();
        var names = new Dictionary<int, string>();
        var asm = new System.Text.StringBuilder();
        foreach (var raw in c.Asm.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("kfunc "))
            {
                if (asm.Length > 0) { code.AddRange(Assembler.Assemble(asm.ToString())); asm.Clear(); }
                string name = line.Substring(6);
                var func = TcpCaWrites.Vmlinux.Find(name, BtfKind.Func) ?? throw new System.InvalidOperationException($"vmlinux has no {name}");
                names[code.Count] = name;
                code.Add(new Instruction((byte)(InstructionClass.Jmp) | (byte)JmpOp.Call, 0, (byte)CallKind.Kfunc, 0, (int)func.Id));
            }
            else if (line.Length > 0) asm.AppendLine(line);
        }
        if (asm.Length > 0) code.AddRange(Assembler.Assemble(asm.ToString()));
        return (code.ToArray(), names);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Managed_verifier_gives_the_kernels_verdict(KfuncCase c)
    {
        Skip.IfNot(TcpCaWrites.HaveVmlinux, $"{TcpCaWrites.VmlinuxPath} is not there: the kfuncs' ids and tcp_sock come from it");
        var (code, names) = Build(c);
        var b = TcpCaWrites.Spec();
        var spec = new VerifierProgramSpec(VerifierProgramType.StructOps)
        {
            Btf = b.Btf, Arguments = b.Arguments, AllowBtfStores = true, StructOpsType = b.StructOpsType, KfuncNames = names,
        };
        var result = BpfVerifier.Verify(code, spec);
        _output.WriteLine(string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.Equal(c.KernelAccepts, result.IsAccepted);
        if (c.Code != null) Assert.Equal(c.Code, result.Errors.Single().Code);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_gives_the_recorded_verdict(KfuncCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var outcome = TcpCaWrites.KernelLoad(Build(c).Code);
        _output.WriteLine(outcome.Log);
        Assert.True(c.KernelAccepts == outcome.Accepted,
            $"{c.Name}: kernel {(outcome.Accepted ? "accepted" : $"refused ({outcome.Errno})")}, recorded {(c.KernelAccepts ? "accept" : "reject")}\n{outcome.Log}");
    }

    /// <summary>The TCP congestion-control kfuncs are registered for struct_ops only (bpf_tcp_ca_kfunc_set).</summary>
    [Fact]
    public void Tcp_kfuncs_are_refused_outside_struct_ops()
    {
        var code = new[]
        {
            new Instruction((byte)(InstructionClass.Jmp) | (byte)JmpOp.Call, 0, (byte)CallKind.Kfunc, 0, 0),
            Insns.Mov64Imm(0, 2),
            Insns.Exit(),
        };
        var spec = new VerifierProgramSpec(VerifierProgramType.Xdp) { KfuncNames = new Dictionary<int, string> { [0] = "tcp_reno_ssthresh" } };
        var result = BpfVerifier.Verify(code, spec);
        Assert.False(result.IsAccepted);
        Assert.Equal(VerifierErrorCodes.InvalidCall, result.Errors.Single().Code);
    }
}
