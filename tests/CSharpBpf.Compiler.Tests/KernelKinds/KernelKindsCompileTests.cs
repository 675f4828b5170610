using System.IO;
using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>The kernel program kinds: libbpf sections, context-argument lowering, helpers, sk_storage, CO-RE stores.</summary>
public sealed class KernelKindsCompileTests
{
    private static string Fixture(string name) => File.ReadAllText(RepoPaths.Fixture(Path.Combine("kernelkinds", name)));

    [Theory]
    [InlineData("SockOpsMark.cs", "KernelKinds.SockOpsMark", "sockops")]
    [InlineData("SysctlSockopt.cs", "KernelKinds.SysctlSockopt", "cgroup/sysctl,cgroup/getsockopt,cgroup/setsockopt")]
    [InlineData("SkbStorage.cs", "KernelKinds.SkbStorage", "cgroup_skb/egress,cgroup_skb/ingress")]
    [InlineData("SyscallCount.cs", "KernelKinds.SyscallCount", "raw_tp/sys_enter,tp_btf/sys_enter")]
    [InlineData("Tracing.cs", "KernelKinds.Tracing", "fentry/do_unlinkat,fexit/do_unlinkat")]
    [InlineData("Freplace.cs", "KernelKinds.FreplaceExt", "freplace/pick_action")]
    [InlineData("Freplace.cs", "KernelKinds.FreplaceTarget", "xdp")]
    [InlineData("CookieCount.cs", "KernelKinds.CookieCount", "cgroup_skb/egress")]
    [InlineData("XdpRedirect.cs", "KernelKinds.XdpRedirect", "xdp,xdp")]
    public void Each_kind_lands_in_its_libbpf_section(string file, string cls, string sections)
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Fixture(file), cls));
        var expected = sections.Split(',').OrderBy(s => s);
        Assert.Equal(expected, obj.Programs.Select(p => p.SectionName).OrderBy(s => s));
    }

    [Fact]
    public void Traced_function_arguments_are_read_from_the_u64_context_array()
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Fixture("SyscallCount.cs"), "KernelKinds.SyscallCount"));
        var raw = obj.FindProgramSection("raw_tp/sys_enter")!;
        // id is the second argument: *(u64 *)(r1 + 8), before anything else touches r1
        Assert.Contains(raw.Instructions, i => i.Opcode == 0x79 && i.Src == 1 && i.Offset == 8);
    }

    [Fact]
    public void Sk_storage_map_has_no_size_and_no_preallocation()
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Fixture("SkbStorage.cs"), "KernelKinds.SkbStorage"));
        var map = obj.FindMap("sk_counts")!;
        Assert.Equal(BpfMapType.SkStorage, map.Type);
        Assert.Equal(0u, map.MaxEntries);
        Assert.Equal(1u, map.Flags & 1u); // BPF_F_NO_PREALLOC
        Assert.Equal(4u, map.KeySize);
        Assert.Equal(16u, map.ValueSize);
        // bpf_sk_storage_get is helper 107
        Assert.Contains(obj.FindProgramSection("cgroup_skb/egress")!.Instructions, i => i.Opcode == 0x85 && i.Src == 0 && i.Imm == 107);
    }

    [Fact]
    public void Sock_ops_helpers_are_called_by_id()
    {
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Fixture("SockOpsMark.cs"), "KernelKinds.SockOpsMark"));
        Assert.Contains(obj.FindProgramSection("sockops")!.Instructions, i => i.Opcode == 0x85 && i.Imm == 49); // bpf_setsockopt
    }

    [Fact]
    public void A_write_to_an_allowed_tcp_sock_field_carries_a_CO_RE_relocation()
    {
        const string src = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace K;
[StructOps(""tcp_congestion_ops"", Name = ""w"")]
public static unsafe partial class W
{
    static void init(sock* sk) => ((tcp_sock*)sk)->snd_ssthresh = 20;
    static uint ssthresh(sock* sk) => 2;
    static uint undo_cwnd(sock* sk) => 2;
    static void cong_avoid(sock* sk, uint ack, uint acked) { }
}";
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(src, "K.W"));
        var relo = Assert.Single(obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "struct_ops/init").Records);
        var tcp = obj.Btf!.Find<BtfStruct>("tcp_sock")!;
        Assert.Equal("0:" + tcp.Members.FindIndex(m => m.Name == "snd_ssthresh"), relo.AccessString);
        var store = obj.FindProgramSection("struct_ops/init")!.Instructions[(int)relo.InsnOffset / 8];
        Assert.True((store.Opcode & 0x07) is 0x02 or 0x03, "the relocated instruction is a store");
        Assert.Equal((short)tcp.Members.Single(m => m.Name == "snd_ssthresh").ByteOffset, store.Offset);
    }

    [Fact]
    public void Program_kind_signatures_are_checked()
    {
        var d = TestCompilation.Diagnose(@"
static unsafe partial class P
{
    [SockOps] static int ops(__sk_buff* skb) => 1;
    [Extension(typeof(P), ""nope"")] static int ext(xdp_md* ctx) => 1;
    [Fentry(""do_unlinkat"")] static int entry(PointStruct p) => 0;
}
struct PointStruct { public int X; }");
        Assert.Equal(3, d.Count(x => x.Id == "BPF2002"));
        Assert.Contains(d, x => x.Message.Contains("bpf_sock_ops* ctx"));
        Assert.Contains(d, x => x.Message.Contains("'nope'"));
    }
}
