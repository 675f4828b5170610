using System.IO;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm.Kernel;
using Xunit;

namespace CSharpBpf.Vm.Tests.Kernel;

/// <summary>The built-in tcp_sock layout equals what the BTF of a kernel says (this machine's vmlinux when present).</summary>
public sealed class KernelLayoutTests
{
    [SkippableFact]
    public void Builtin_tcp_sock_matches_vmlinux_btf()
    {
        Skip.IfNot(KernelCapability.HasVmlinuxBtf, "no /sys/kernel/btf/vmlinux on this machine");
        var btf = BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));
        var fromBtf = BtfLayouts.FromBtf(btf, "tcp_sock");
        var builtin = KernelStructLayout.TcpSock;
        Skip.If(fromBtf.Size != builtin.Size, $"this kernel's tcp_sock is {fromBtf.Size} bytes, not the reference kernel's {builtin.Size}");
        foreach (var field in builtin.Fields)
            Assert.Equal(field, fromBtf[field.Name]);
    }

    [Fact]
    public void Layout_from_btf_flattens_embedded_structs_and_bitfields()
    {
        // struct inner { u32 a; u8 b:3, c:1; }; struct outer { u64 x; struct inner in; u16 y; }
        var btf = new Btf();
        uint u8 = btf.AddInt("u8", 1, BtfIntEncoding.None, 8).Id;
        uint u16 = btf.AddInt("u16", 2, BtfIntEncoding.None, 16).Id;
        uint u32 = btf.AddInt("u32", 4, BtfIntEncoding.None, 32).Id;
        uint u64 = btf.AddInt("u64", 8, BtfIntEncoding.None, 64).Id;
        var inner = btf.AddStruct("inner", 8);
        inner.Members.Add(new BtfMember("a", u32, 0));
        inner.Members.Add(new BtfMember("b", u8, 32, 3));
        inner.Members.Add(new BtfMember("c", u8, 35, 1));
        var outer = btf.AddStruct("outer", 24);
        outer.Members.Add(new BtfMember("x", u64, 0));
        outer.Members.Add(new BtfMember("in", inner.Id, 64));
        outer.Members.Add(new BtfMember("y", u16, 128));
        var layout = BtfLayouts.FromBtf(btf, "outer");
        Assert.Equal(24, layout.Size);
        Assert.Equal(new KernelField("x", 0, 8), layout["x"]);
        Assert.Equal(new KernelField("a", 8, 4), layout["a"]);
        Assert.Equal(new KernelField("c", 12, 1, 3, 1), layout["c"]);
        Assert.Equal(new KernelField("y", 16, 2), layout["y"]);
    }
}
