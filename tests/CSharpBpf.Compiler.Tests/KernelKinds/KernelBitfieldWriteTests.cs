using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

/// <summary>
/// BPF2105: kernel bitfields are read-only. No field the kernel lets a program write is a bitfield
/// (Linux 6.18: tcp_congestion_ops' writable fields are whole u32/u8/ulong fields), so a write is refused
/// at its span with the field's name, instead of BPF2103's generic list or a lowering error.
/// </summary>
public sealed class KernelBitfieldWriteTests
{
    private static string StructOps(string body) => @"
[StructOps(""tcp_congestion_ops"", Name = ""b"")]
static unsafe partial class P
{
    static void init(sock* sk)
    {
        var icsk = (inet_connection_sock*)sk;
" + body + @"
    }
    static uint ssthresh(sock* sk) => 2;
}";

    [Theory]
    [InlineData("icsk->icsk_ca_state = 1;")]
    [InlineData("icsk->icsk_ca_state++;")]
    [InlineData("icsk->icsk_ca_state |= 2;")]
    public void A_write_to_a_kernel_bitfield_through_a_pointer_is_BPF2105_naming_the_field(string write)
    {
        var d = TestCompilation.Diagnose(StructOps(write));
        var e = Assert.Single(d);
        Assert.Equal("BPF2105", e.Id);
        Assert.Contains("inet_connection_sock.icsk_ca_state", e.Message);
        Assert.Contains("5 bit(s)", e.Message);
        Assert.Contains("no BPF program write a bitfield", e.Message);
    }

    [Fact]
    public void The_diagnostic_is_at_the_write()
    {
        string src = StructOps("uint cwnd = ((tcp_sock*)sk)->snd_cwnd;\n        icsk->icsk_ca_state = 1;");
        var e = Assert.Single(TestCompilation.Diagnose(src));
        Assert.Equal("BPF2105", e.Id);
        Assert.Equal("icsk->icsk_ca_state = 1", TestCompilation.SpanText(src, e));
    }

    [Fact]
    public void A_bitfield_write_in_another_program_kind_is_BPF2105_too()
    {
        var d = TestCompilation.Diagnose(@"
static unsafe partial class P
{
    [RawTracepoint(""tcp_probe"")]
    static int probe(void* ctx, sock* sk)
    {
        ((inet_connection_sock*)sk)->icsk_ca_initialized = 1;
        return 0;
    }
}");
        Assert.Equal("BPF2105", Assert.Single(d).Id);
    }

    [Fact]
    public void A_bitfield_write_to_a_stack_copy_is_BPF2105_and_says_so()
    {
        var d = TestCompilation.Diagnose(StructOps("inet_connection_sock copy = *icsk;\n        copy.icsk_ca_state = 1;"));
        var e = Assert.Single(d, x => x.Id == "BPF2105");
        Assert.Contains("copy on the stack", e.Message);
    }

    [Fact]
    public void Reading_a_kernel_bitfield_is_still_fine()
    {
        Assert.Empty(TestCompilation.Diagnose(StructOps("if (icsk->icsk_ca_state == 1) ((tcp_sock*)sk)->snd_cwnd = 2;")));
    }
}
