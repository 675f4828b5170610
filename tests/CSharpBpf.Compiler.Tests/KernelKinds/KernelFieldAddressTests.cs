using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>
/// &amp;p-&gt;field of a kernel type: the offset is a CO-RE relocated mov (FIELD_BYTE_OFFSET), then base += offset,
/// as clang emits under preserve_access_index, so the address follows the running kernel's layout.
/// </summary>
public sealed class KernelFieldAddressTests
{
    private const string Header = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace K;
";

    private static BpfObjectFile Compile(string body) =>
        BpfObjectFile.Read(StructOpsCompileTests.Compile(Header + @"
public static unsafe partial class A
{
    [RawTracepoint(""tcp_probe"")]
    static int probe(void* ctx, sock* sk)
    {
" + body + @"
    }
}", "K.A"));

    private static (BtfCoreRelo Relo, Instruction Insn, Instruction[] Code) SingleRelocation(BpfObjectFile obj)
    {
        var relo = Assert.Single(obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "raw_tp/tcp_probe").Records);
        var code = obj.FindProgramSection("raw_tp/tcp_probe")!.Instructions.ToArray();
        return (relo, code[(int)relo.InsnOffset / 8], code);
    }

    private static int IndexOf(BtfStruct s, string member) => s.Members.FindIndex(m => m.Name == member);

    [Fact]
    public void Address_of_a_field_is_a_relocated_mov_of_its_offset_then_an_add()
    {
        var obj = Compile(@"
        uint cwnd;
        Bpf.ProbeReadKernel(&cwnd, 4, &((tcp_sock*)sk)->snd_cwnd);
        return (int)cwnd;");
        var (relo, insn, code) = SingleRelocation(obj);
        var tcp = obj.Btf!.Find<BtfStruct>("tcp_sock")!;
        Assert.Equal(tcp.Id, relo.TypeId);
        Assert.Equal("0:" + IndexOf(tcp, "snd_cwnd"), relo.AccessString);
        Assert.Equal(BpfCoreReloKind.FieldByteOffset, relo.Kind);
        Assert.Equal(0xb7, insn.Opcode); // mov64 dst, imm
        Assert.Equal((long)tcp.Members.Single(m => m.Name == "snd_cwnd").ByteOffset, insn.Imm);
        // the offset register is added to a pointer (reg form add64) before the helper call
        int at = (int)relo.InsnOffset / 8;
        Assert.Contains(code.Skip(at + 1), i => i.Opcode == 0x0f && i.Src == insn.Dst);
        // no unrelocated "add imm" of the field's offset is left anywhere
        Assert.DoesNotContain(code, i => i.Opcode == 0x07 && i.Imm == insn.Imm && insn.Imm != 0);
    }

    [Fact]
    public void Address_of_a_nested_field_names_the_whole_path_from_the_root_struct()
    {
        var obj = Compile(@"
        ushort port;
        Bpf.ProbeReadKernel(&port, 2, &sk->__sk_common.skc_dport);
        return port;");
        var (relo, insn, _) = SingleRelocation(obj);
        var sock = obj.Btf!.Find<BtfStruct>("sock")!;
        var common = obj.Btf.Find<BtfStruct>("sock_common")!;
        Assert.Equal(sock.Id, relo.TypeId);
        Assert.Equal($"0:{IndexOf(sock, "__sk_common")}:{IndexOf(common, "skc_dport")}", relo.AccessString);
        Assert.Equal(0xb7, insn.Opcode);
    }

    [Fact]
    public void Address_of_a_field_at_offset_zero_is_still_relocated()
    {
        var obj = Compile(@"
        sock_common* c = &sk->__sk_common;
        ushort family;
        Bpf.ProbeReadKernel(&family, 2, &c->skc_family);
        return family;");
        var records = obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "raw_tp/tcp_probe").Records;
        var sock = obj.Btf!.Find<BtfStruct>("sock")!;
        var common = obj.Btf.Find<BtfStruct>("sock_common")!;
        var outer = Assert.Single(records, r => r.TypeId == sock.Id);
        Assert.Equal("0:" + IndexOf(sock, "__sk_common"), outer.AccessString);
        var inner = Assert.Single(records, r => r.TypeId == common.Id);
        Assert.Equal("0:" + IndexOf(common, "skc_family"), inner.AccessString);
        var code = obj.FindProgramSection("raw_tp/tcp_probe")!.Instructions;
        Assert.Equal(0L, code[(int)outer.InsnOffset / 8].Imm);
    }

    [Fact]
    public void The_loader_moves_the_address_to_another_kernel_layout()
    {
        var obj = Compile(@"
        uint cwnd;
        Bpf.ProbeReadKernel(&cwnd, 4, &((tcp_sock*)sk)->snd_cwnd);
        return (int)cwnd;");
        var (relo, insn, code) = SingleRelocation(obj);

        // A "kernel" whose tcp_sock has snd_cwnd at byte 4000 (and other members elsewhere).
        var target = new Btf();
        var u32 = target.AddInt("unsigned int", 4, BtfIntEncoding.None);
        var tcp = target.AddStruct("tcp_sock", 4096);
        tcp.AddMember("rcv_nxt", u32.Id, 0);
        tcp.AddMember("snd_cwnd", u32.Id, 4000 * 8);

        var result = CoreResolver.Resolve(obj.Btf!, relo, target);
        Assert.False(result.Poison, result.Description);
        Assert.Equal(4000L, (long)result.Value);
        var patched = code.ToList();
        int at = (int)relo.InsnOffset / 8;
        CorePatcher.Apply(patched, at, relo, result);
        Assert.NotEqual(4000L, insn.Imm);
        Assert.Equal(0xb7, patched[at].Opcode);
        Assert.Equal(4000L, patched[at].Imm);
    }

    [Fact]
    public void A_kernel_without_the_field_poisons_the_address()
    {
        var obj = Compile(@"
        uint cwnd;
        Bpf.ProbeReadKernel(&cwnd, 4, &((tcp_sock*)sk)->snd_cwnd);
        return (int)cwnd;");
        var (relo, _, code) = SingleRelocation(obj);
        var target = new Btf();
        var u32 = target.AddInt("unsigned int", 4, BtfIntEncoding.None);
        target.AddStruct("tcp_sock", 8).AddMember("rcv_nxt", u32.Id, 0);
        var result = CoreResolver.Resolve(obj.Btf!, relo, target);
        Assert.True(result.Poison);
        var patched = code.ToList();
        int at = (int)relo.InsnOffset / 8;
        CorePatcher.Apply(patched, at, relo, result);
        Assert.Equal(CorePatcher.PoisonHelperId, patched[at].Imm);
    }

    [Fact]
    public void An_element_of_a_kernel_array_field_is_addressed_from_its_relocated_start()
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Header + @"
[StructOps(""tcp_congestion_ops"", Name = ""p"")]
public static unsafe partial class Priv
{
    static void init(sock* sk) => ((inet_connection_sock*)sk)->icsk_ca_priv[2] = 7;
    static uint ssthresh(sock* sk) => 2;
    static uint undo_cwnd(sock* sk) => 2;
    static void cong_avoid(sock* sk, uint ack, uint acked) { }
}", "K.Priv"));
        var relo = Assert.Single(obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "struct_ops/init").Records);
        var icsk = obj.Btf!.Find<BtfStruct>("inet_connection_sock")!;
        Assert.Equal(icsk.Id, relo.TypeId);
        Assert.Equal("0:" + IndexOf(icsk, "icsk_ca_priv"), relo.AccessString);
        var code = obj.FindProgramSection("struct_ops/init")!.Instructions;
        int at = (int)relo.InsnOffset / 8;
        Assert.Equal(0xb7, code[at].Opcode);
        Assert.Equal((long)icsk.Members.Single(m => m.Name == "icsk_ca_priv").ByteOffset, code[at].Imm);
        // the element store is 16 bytes past the relocated start: *(u64 *)(rX + 16) = 7
        Assert.Contains(code.Skip(at + 1), i => (i.Opcode == 0x7a || i.Opcode == 0x7b) && i.Offset == 16);
    }

    [Fact]
    public void A_ref_local_to_a_kernel_field_is_relocated_too()
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Header + @"
[StructOps(""tcp_congestion_ops"", Name = ""r"")]
public static unsafe partial class R
{
    static void init(sock* sk)
    {
        ref uint cwnd = ref ((tcp_sock*)sk)->snd_cwnd;
        cwnd = 10;
    }
    static uint ssthresh(sock* sk) => 2;
    static uint undo_cwnd(sock* sk) => 2;
    static void cong_avoid(sock* sk, uint ack, uint acked) { }
}", "K.R"));
        var relo = Assert.Single(obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "struct_ops/init").Records);
        var tcp = obj.Btf!.Find<BtfStruct>("tcp_sock")!;
        Assert.Equal("0:" + IndexOf(tcp, "snd_cwnd"), relo.AccessString);
    }
}
