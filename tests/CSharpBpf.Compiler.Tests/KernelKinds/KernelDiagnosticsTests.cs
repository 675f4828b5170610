using System.Linq;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>BPF21xx: struct_ops members and signatures, writes to kernel fields, kernel types missing from the generated set.</summary>
public sealed class KernelDiagnosticsTests
{
    private static string Ids(string source) =>
        string.Join(",", TestCompilation.Diagnose(source).Select(d => d.Id).Distinct().OrderBy(i => i));

    [Fact]
    public void A_member_attribute_naming_no_ops_member_is_BPF2101()
    {
        var d = TestCompilation.Diagnose(@"
[StructOps(""tcp_congestion_ops"", Name = ""x"")]
static unsafe partial class P
{
    [StructOpsMember(""cong_avoidance"")] static void avoid(sock* sk, uint ack, uint acked) { }
    static uint ssthresh(sock* sk) => 2;
}");
        var e = Assert.Single(d);
        Assert.Equal("BPF2101", e.Id);
        Assert.Contains("cong_avoidance", e.Message);
        Assert.Contains("cong_avoid", e.Message); // lists the real members
    }

    [Fact]
    public void A_signature_that_differs_from_the_kernel_function_pointer_is_BPF2102()
    {
        var d = TestCompilation.Diagnose(@"
[StructOps(""tcp_congestion_ops"", Name = ""x"")]
static unsafe partial class P
{
    static void cong_avoid(sock* sk, uint ack) { }
    static uint ssthresh(sock* sk) => 2;
}");
        var e = Assert.Single(d);
        Assert.Equal("BPF2102", e.Id);
        Assert.Contains("static void cong_avoid(CSharpBpf.Kernel.sock* sk, uint ack, uint arg2)", e.Message);
    }

    [Fact]
    public void Writing_a_tcp_sock_field_the_kernel_keeps_read_only_is_BPF2103_and_allowed_ones_are_not()
    {
        var d = TestCompilation.Diagnose(@"
[StructOps(""tcp_congestion_ops"", Name = ""x"")]
static unsafe partial class P
{
    static void init(sock* sk)
    {
        var tp = (tcp_sock*)sk;
        tp->snd_ssthresh = 20;   // allowed
        tp->snd_cwnd_cnt++;      // allowed
        tp->rcv_nxt = 1;         // not allowed
    }
    static uint ssthresh(sock* sk) => 2;
}");
        var e = Assert.Single(d);
        Assert.Equal("BPF2103", e.Id);
        Assert.Contains("tcp_sock.rcv_nxt", e.Message);
    }

    [Fact]
    public void An_ops_struct_missing_from_the_generated_kernel_types_is_BPF2104()
    {
        Assert.Equal("BPF2104", Ids(@"
[StructOps(""sched_ext_ops"", Name = ""x"")]
static unsafe partial class P
{
    static void init(void* p) { }
}"));
    }

    [Fact]
    public void A_name_longer_than_the_ops_name_field_is_BPF2101()
    {
        Assert.Equal("BPF2101", Ids(@"
[StructOps(""tcp_congestion_ops"", Name = ""a_very_long_algorithm_name"")]
static unsafe partial class P
{
    static uint ssthresh(sock* sk) => 2;
}"));
    }
}
