using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>The C# Reno of tests/fixtures/kernelkinds/CsReno.cs: object shape (as libbpf expects) and behaviour in the VM.</summary>
public sealed class StructOpsCompileTests
{
    private static readonly string RenoSource = File.ReadAllText(RepoPaths.Fixture(Path.Combine("kernelkinds", "CsReno.cs")));

    internal static byte[] Compile(string source, string className)
    {
        var c = TestCompilation.Create(("Src.cs", source));
        var type = c.GetTypeByMetadataName(className)!;
        var compiled = BpfClassCompiler.Compile(c, type);
        Assert.True(compiled.Diagnostics.Count() == 0, string.Join("\n", compiled.Diagnostics.Select(d => d.ToDiagnostic().ToString())));
        return compiled.Object.AsArray();
    }

    [Fact]
    public void Reno_object_has_the_struct_ops_variable_with_each_member_pointing_at_its_program()
    {
        var obj = BpfObjectFile.Read(Compile(RenoSource, "KernelKinds.CsReno"));
        var ops = Assert.Single(obj.StructOps);
        Assert.Equal("csreno", ops.Name);
        Assert.Equal(".struct_ops", ops.SectionName);
        Assert.Equal("tcp_congestion_ops", ops.TypeName);
        // the name field (char[16] at byte 88 in this kernel's layout) holds the algorithm name
        var ct = obj.Btf!.Find<BtfStruct>("tcp_congestion_ops")!;
        var nameMember = ct.FindMember("name")!;
        Assert.Equal("csreno\0", System.Text.Encoding.ASCII.GetString(ops.Data, (int)nameMember.ByteOffset, 7));
        var members = ops.FunctionMembers.ToDictionary(m => m.MemberName, m => m.ProgramName);
        Assert.Equal(new[] { "cong_avoid", "cwnd_event", "init", "pkts_acked", "set_state", "ssthresh", "undo_cwnd" }, members.Keys.OrderBy(k => k));
        foreach (var m in ops.FunctionMembers)
        {
            Assert.Equal((ulong)ct.FindMember(m.MemberName)!.ByteOffset, m.ByteOffset);
            Assert.NotNull(obj.FindProgramSection("struct_ops/" + m.MemberName));
        }
    }

    [Fact]
    public void Kernel_field_reads_carry_CO_RE_relocations_and_kfuncs_are_ksyms_externs()
    {
        var obj = BpfObjectFile.Read(Compile(RenoSource, "KernelKinds.CsReno"));
        var relos = obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "struct_ops/cong_avoid").Records;
        var accessed = relos.Select(r => ((BtfStruct)obj.Btf![r.TypeId]).Name + ":" + r.AccessString).ToList();
        var tcpSock = obj.Btf!.Find<BtfStruct>("tcp_sock")!;
        int cwnd = tcpSock.Members.FindIndex(m => m.Name == "snd_cwnd");
        int ssthresh = tcpSock.Members.FindIndex(m => m.Name == "snd_ssthresh");
        Assert.Contains("tcp_sock:0:" + cwnd, accessed);
        Assert.Contains("tcp_sock:0:" + ssthresh, accessed);
        Assert.All(relos, r => Assert.Equal(BpfCoreReloKind.FieldByteOffset, r.Kind));
        var externs = obj.Externs.Where(e => e.Kind == BpfExternKind.Function).Select(e => e.Name).OrderBy(n => n);
        Assert.Equal(new[] { "tcp_cong_avoid_ai", "tcp_reno_ssthresh", "tcp_reno_undo_cwnd", "tcp_slow_start" }, externs);
    }

    [Fact]
    public void A_kernel_bitfield_read_is_one_relocated_unit_load_and_two_shifts()
    {
        var obj = BpfObjectFile.Read(Compile(RenoSource, "KernelKinds.CsReno"));
        var icsk = obj.Btf!.Find<BtfStruct>("inet_connection_sock")!;
        int index = icsk.Members.FindIndex(m => m.Name == "icsk_ca_state");
        var member = icsk.Members[index];
        Assert.Equal(5u, member.BitfieldSize);
        var relo = Assert.Single(obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "struct_ops/init").Records);
        Assert.Equal(BpfCoreReloKind.FieldByteOffset, relo.Kind);
        Assert.Equal("0:" + index, relo.AccessString);
        var init = obj.FindProgramSection("struct_ops/init")!;
        var load = init.Instructions[(int)relo.InsnOffset / 8];
        Assert.Equal((short)(member.BitOffset / 8), load.Offset);           // the u8 unit holding the 5 bits
        Assert.Equal(0x71, load.Opcode);                                    // ldxb
        var next = init.Instructions[(int)relo.InsnOffset / 8 + 1];
        var after = init.Instructions[(int)relo.InsnOffset / 8 + 2];
        Assert.Equal((59, 59), (next.Imm, after.Imm));                      // <<= 59, >>= 59: bits 0..4 of the unit
    }

    [Fact]
    public void Reno_runs_in_the_VM_slow_start_then_additive_increase()
    {
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        var vm = host.LoadObject(Compile(RenoSource, "KernelKinds.CsReno"));
        Assert.Empty(vm.LoadErrors);
        var congAvoid = vm.StructOps["csreno"]["cong_avoid"];
        var sock = host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 2;
        sock.Tcp["snd_ssthresh"] = 10;
        host.RunWithArgs(congAvoid, sock.KernelAddress, 0, 1);
        Assert.Equal(3UL, sock.Tcp["snd_cwnd"]); // slow start: one more packet per acked packet

        sock.Tcp["snd_cwnd"] = 20; // above ssthresh: one packet per cwnd acked
        sock.Tcp["snd_cwnd_cnt"] = 0;
        host.RunWithArgs(congAvoid, sock.KernelAddress, 0, 20);
        Assert.Equal(21UL, sock.Tcp["snd_cwnd"]);

        var ssthresh = vm.StructOps["csreno"]["ssthresh"];
        Assert.Equal(10UL, host.RunWithArgs(ssthresh, sock.KernelAddress).ReturnValue); // max(21 / 2, 2)
        Assert.Equal(2UL, ReadCount(vm, 2));
        Assert.Equal(1UL, ReadCount(vm, 1));
    }

    private static ulong ReadCount(VmObject vm, uint slot)
    {
        var bytes = vm.Maps["Calls"].Lookup(System.BitConverter.GetBytes(slot))!;
        return System.BitConverter.ToUInt64(bytes, 0);
    }
}
