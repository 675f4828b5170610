using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>
/// BPF2103's list of tcp_sock fields a tcp_congestion_ops program may write, against the kernel that decides:
/// for each probe, the compiler's verdict on a C# write (BPF2103 or not) must equal the running kernel's
/// PROG_LOAD verdict on a struct_ops program (member init) doing that store through its sock argument.
/// Linux 6.18's bpf_tcp_ca_btf_struct_access allows sk_pacing_rate, sk_pacing_status, icsk_ca_priv,
/// icsk_ack.pending (one byte, not the rest of icsk_ack), snd_cwnd, snd_cwnd_cnt, snd_cwnd_stamp,
/// snd_ssthresh, ecn_flags and app_limited.
/// </summary>
public sealed class TcpCaWritableFieldsKernelTests
{
    private const uint ProgTypeStructOps = 27; // BPF_PROG_TYPE_STRUCT_OPS

    /// <summary>A C# statement in init(sock* sk), and the store it makes: path from tcp_sock, store size (0 = the field's).</summary>
    public sealed record Probe(string Write, string Path, int StoreSize = 0)
    {
        public override string ToString() => Path;
    }

    public static readonly Probe[] Probes =
    {
        new("sk->sk_pacing_rate = 1;", "inet_conn.icsk_inet.sk.sk_pacing_rate"),
        new("sk->sk_pacing_status = 1;", "inet_conn.icsk_inet.sk.sk_pacing_status"),
        new("((inet_connection_sock*)sk)->icsk_ca_priv[0] = 1;", "inet_conn.icsk_ca_priv", StoreSize: 8),
        new("((inet_connection_sock*)sk)->icsk_ack.pending = 1;", "inet_conn.icsk_ack.pending"),
        new("((tcp_sock*)sk)->snd_cwnd = 1;", "snd_cwnd"),
        new("((tcp_sock*)sk)->snd_cwnd_cnt = 1;", "snd_cwnd_cnt"),
        new("((tcp_sock*)sk)->snd_cwnd_stamp = 1;", "snd_cwnd_stamp"),
        new("((tcp_sock*)sk)->snd_ssthresh = 1;", "snd_ssthresh"),
        new("((tcp_sock*)sk)->ecn_flags = 1;", "ecn_flags"),
        new("((tcp_sock*)sk)->app_limited = 1;", "app_limited"),
        // outside the list
        new("((inet_connection_sock*)sk)->icsk_ack.quick = 1;", "inet_conn.icsk_ack.quick"),
        new("((inet_connection_sock*)sk)->icsk_ack = default;", "inet_conn.icsk_ack", StoreSize: 8),
        new("((tcp_sock*)sk)->rcv_nxt = 1;", "rcv_nxt"),
        new("((tcp_sock*)sk)->srtt_us = 1;", "srtt_us"),
        new("sk->sk_mark = 1;", "inet_conn.icsk_inet.sk.sk_mark"),
    };

    public static IEnumerable<object[]> ProbeData => Probes.Select(p => new object[] { p });

    private readonly ITestOutputHelper _out;
    public TcpCaWritableFieldsKernelTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void Icsk_ack_pending_is_writable_but_the_rest_of_icsk_ack_is_BPF2103()
    {
        Assert.False(CompilerRefuses(Probes.Single(p => p.Path == "inet_conn.icsk_ack.pending")));
        var quick = TestCompilation.Diagnose(Source("((inet_connection_sock*)sk)->icsk_ack.quick = 1;"));
        Assert.Contains("inet_connection_sock.icsk_ack.quick", Assert.Single(quick, d => d.Id == "BPF2103").Message);
        var whole = TestCompilation.Diagnose(Source("((inet_connection_sock*)sk)->icsk_ack = default;"));
        Assert.Contains("inet_connection_sock.icsk_ack", Assert.Single(whole, d => d.Id == "BPF2103").Message);
    }

    [SkippableTheory]
    [MemberData(nameof(ProbeData))]
    public void The_compiler_refuses_a_write_exactly_when_the_kernel_does(Probe probe)
    {
        KernelSkip.UnlessBpfAllowed();
        bool compilerRefuses = CompilerRefuses(probe);
        using var result = KernelLoad(probe, out string store);
        _out.WriteLine($"{probe.Path}: {store}; kernel {(result.Succeeded ? "accepts" : "refuses: " + LastLine(result.Log))}; compiler {(compilerRefuses ? "BPF2103" : "accepts")}");
        if (!result.Succeeded)
        {
            // Refused for the reason under test (btf_struct_access), not for a malformed program.
            Assert.True(result.Log.Contains("no write support to tcp_sock", StringComparison.Ordinal)
                        || result.Log.Contains("beyond the member of tcp_sock", StringComparison.Ordinal), result.Log);
        }
        Assert.Equal(!result.Succeeded, compilerRefuses);
    }

    private static string Source(string write) => $@"
[StructOps(""tcp_congestion_ops"", Name = ""w"")]
static unsafe partial class P
{{
    static void init(sock* sk) {{ {write} }}
    static uint ssthresh(sock* sk) => 2;
}}";

    private static bool CompilerRefuses(Probe probe)
    {
        var diags = TestCompilation.Diagnose(Source(probe.Write));
        Assert.All(diags, d => Assert.Equal("BPF2103", d.Id)); // nothing else in the way
        return diags.Count > 0;
    }

    private static readonly Lazy<Btf> Vmlinux = new(() => BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux")));

    /// <summary>init(sock* sk): r1 = ctx[0] (sk, promoted to tcp_sock by the kernel); *(size*)(r1 + off) = 1; return 0.</summary>
    private static BpfLoadResult KernelLoad(Probe probe, out string store)
    {
        var btf = Vmlinux.Value;
        var (offset, fieldSize) = Locate(btf, "tcp_sock", probe.Path);
        int size = probe.StoreSize != 0 ? probe.StoreSize : fieldSize;
        var memSize = size switch { 1 => MemSize.B, 2 => MemSize.H, 4 => MemSize.W, 8 => MemSize.DW, _ => throw new InvalidOperationException($"{probe.Path}: no single store of {size} bytes") };
        store = $"{size}-byte store at tcp_sock+{offset}";

        var ops = btf.Find<BtfStruct>("tcp_congestion_ops") ?? throw new InvalidOperationException("no tcp_congestion_ops in vmlinux BTF");
        int init = ops.Members.FindIndex(m => m.Name == "init");
        Assert.True(init >= 0, "tcp_congestion_ops has no init member");

        var code = new[]
        {
            Insns.Ldx(MemSize.DW, Reg.R1, Reg.R1, 0),
            Insns.Mov64Imm(Reg.R2, 1),
            Insns.Stx(memSize, Reg.R1, Reg.R2, offset),
            Insns.Mov64Imm(Reg.R0, 0),
            Insns.Exit(),
        };
        return BpfSyscall.TryProgLoad(new ProgLoadRequest(ProgTypeStructOps, InstructionCodec.Encode(code))
        {
            Name = "csbpf_w",
            AttachBtfId = ops.Id,
            ExpectedAttachType = (uint)init,
        });
    }

    /// <summary>Byte offset and size of a dotted member path (named members, each step into the member's type).</summary>
    private static (int Offset, int Size) Locate(Btf btf, string structName, string path)
    {
        BtfType current = btf.Find<BtfStruct>(structName) ?? throw new InvalidOperationException($"no struct {structName}");
        ulong offset = 0;
        uint typeId = current.Id;
        foreach (string part in path.Split('.'))
        {
            if (current is not BtfComposite composite || !btf.TryFindMember(composite, part, out var loc))
                throw new InvalidOperationException($"{structName}.{path}: no member '{part}' in the running kernel's BTF");
            offset += loc.ByteOffset;
            typeId = loc.Member.TypeId;
            current = btf.ResolveModifiers(typeId);
        }
        return ((int)offset, (int)btf.SizeOf(typeId));
    }

    private static string LastLine(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => !l.StartsWith("processed", StringComparison.Ordinal)) ?? "";
}
