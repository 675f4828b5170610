using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// tcp_congestion_ops stores to the socket (net/ipv4/bpf_tcp_ca.c, bpf_tcp_ca_btf_struct_access): only through the
/// tcp_sock pointer, only at sock.sk_pacing_rate/sk_pacing_status, inet_connection_sock.icsk_ca_priv (anywhere in it)
/// and icsk_ack.pending, tcp_sock.snd_cwnd/snd_cwnd_cnt/snd_cwnd_stamp/snd_ssthresh/ecn_flags/app_limited, and never past the
/// member's end. Each named case has the verdict recorded for Linux 6.18; the managed verifier must give it, and
/// the kernel too; a sweep of every store offset and width compares both verifiers byte by byte.
/// </summary>
public class TcpCaWriteDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public TcpCaWriteDifferentialTests(ITestOutputHelper output) => _output = output;

    public sealed record WriteCase(string Name, string[] Path, int Delta, MemSize Size, bool KernelAccepts, string[]? Via = null)
    {
        public override string ToString() => Name;
    }

    private static readonly string[] Sk = { "inet_conn", "icsk_inet", "sk" };
    private static readonly string[] Icsk = { "inet_conn" };

    public static IEnumerable<object[]> Cases() => new WriteCase[]
    {
        new("snd_cwnd_u32", new[] { "snd_cwnd" }, 0, MemSize.W, true),
        new("snd_cwnd_u64_runs_past_it", new[] { "snd_cwnd" }, 0, MemSize.DW, false),
        new("snd_cwnd_second_byte", new[] { "snd_cwnd" }, 1, MemSize.B, false),
        new("snd_ssthresh_u32", new[] { "snd_ssthresh" }, 0, MemSize.W, true),
        new("snd_cwnd_cnt_u32", new[] { "snd_cwnd_cnt" }, 0, MemSize.W, true),
        new("ecn_flags_u8", new[] { "ecn_flags" }, 0, MemSize.B, true),
        new("app_limited_u32", new[] { "app_limited" }, 0, MemSize.W, true),
        new("snd_cwnd_stamp_u32", new[] { "snd_cwnd_stamp" }, 0, MemSize.W, true),
        new("srtt_us_is_not_writable", new[] { "srtt_us" }, 0, MemSize.W, false),
        new("sk_pacing_rate_u64", Sk.Append("sk_pacing_rate").ToArray(), 0, MemSize.DW, true),
        new("sk_pacing_status_u32", Sk.Append("sk_pacing_status").ToArray(), 0, MemSize.W, true),
        new("icsk_ca_priv_inside", Icsk.Append("icsk_ca_priv").ToArray(), 8, MemSize.DW, true),
        new("icsk_ca_priv_past_its_end", Icsk.Append("icsk_ca_priv").ToArray(), 100, MemSize.DW, false),
        new("icsk_ack_pending_u8", Icsk.Concat(new[] { "icsk_ack", "pending" }).ToArray(), 0, MemSize.B, true),
        new("store_through_a_loaded_sock_pointer", new[] { "snd_cwnd" }, 0, MemSize.W, false,
            Via: Sk.Concat(new[] { "__sk_common", "skc_prot" }).ToArray()),
    }.Select(c => new object[] { c });

    private static Instruction[] ProgramOf(WriteCase c) =>
        TcpCaWrites.Program(TcpCaWrites.OffsetOf(c.Path) + c.Delta, c.Size, c.Via == null ? -1 : TcpCaWrites.OffsetOf(c.Via));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Managed_verifier_gives_the_kernels_verdict(WriteCase c)
    {
        Skip.IfNot(TcpCaWrites.HaveVmlinux, $"{TcpCaWrites.VmlinuxPath} is not there: tcp_sock's layout comes from it");
        var result = BpfVerifier.Verify(ProgramOf(c), TcpCaWrites.Spec());
        _output.WriteLine(string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.Equal(c.KernelAccepts, result.IsAccepted);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_gives_the_recorded_verdict(WriteCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var outcome = TcpCaWrites.KernelLoad(ProgramOf(c));
        _output.WriteLine(outcome.Log);
        Assert.True(c.KernelAccepts == outcome.Accepted,
            $"{c.Name}: kernel {(outcome.Accepted ? "accepted" : $"refused ({outcome.Errno})")}, recorded {(c.KernelAccepts ? "accept" : "reject")}\n{outcome.Log}");
    }

    [SkippableFact]
    public void Every_store_offset_and_width_into_tcp_sock_gets_the_kernels_verdict()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = TcpCaWrites.Spec();
        int size = (int)TcpCaWrites.TcpSock.Size;
        var disagreements = new List<string>();
        int accepted = 0;
        foreach (var (width, bytes) in new[] { (MemSize.B, 1), (MemSize.H, 2), (MemSize.W, 4), (MemSize.DW, 8) })
        {
            for (int off = 0; off + bytes <= size; off += bytes)
            {
                var program = TcpCaWrites.Program(off, width);
                bool ours = BpfVerifier.Verify(program, spec).IsAccepted;
                bool kernel = TcpCaWrites.KernelLoad(program, KernelLog.OnFailure).Accepted;
                if (kernel) accepted++;
                if (ours != kernel) disagreements.Add($"{bytes}-byte store at {off}: managed {(ours ? "accepts" : "rejects")}, kernel {(kernel ? "accepts" : "rejects")}");
            }
        }
        _output.WriteLine($"kernel accepted {accepted} stores");
        Assert.True(accepted > 0, "the kernel accepted no store at all: the loads are not testing the write rule");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(40)));
    }

    /// <summary>struct_ops kinds without a btf_struct_access callback may only read kernel structs (check_ptr_to_btf_access).</summary>
    [SkippableFact]
    public void Other_struct_ops_kinds_may_not_store_to_kernel_structs()
    {
        Skip.IfNot(TcpCaWrites.HaveVmlinux, $"{TcpCaWrites.VmlinuxPath} is not there: tcp_sock's layout comes from it");
        var baseSpec = TcpCaWrites.Spec();
        var spec = new VerifierProgramSpec(VerifierProgramType.StructOps)
        {
            Btf = baseSpec.Btf, Arguments = baseSpec.Arguments, AllowBtfStores = true, StructOpsType = "sched_ext_ops",
        };
        var result = BpfVerifier.Verify(TcpCaWrites.Program(TcpCaWrites.OffsetOf("snd_cwnd"), MemSize.W), spec);
        Assert.False(result.IsAccepted);
        Assert.StartsWith("only read is supported", result.Errors.Single().Message);
    }
}
