using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>The running kernel's BTF, read whole and checked against bpftool's view of the same file.</summary>
public class VmlinuxBtfTests
{
    private const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
    private static readonly Lazy<CSharpBpf.Object.Btf.Btf?> Vmlinux = new(() =>
        File.Exists(VmlinuxPath) ? BtfReader.Read(File.ReadAllBytes(VmlinuxPath)) : null);
    private static readonly Lazy<string> BpftoolDump = new(() => BpftoolRawDump.Dump(VmlinuxPath));

    private static CSharpBpf.Object.Btf.Btf RequireVmlinux()
    {
        Skip.If(Vmlinux.Value is null, VmlinuxPath + " absent: the kernel has no BTF");
        return Vmlinux.Value!;
    }

    [SkippableFact]
    public void Tcp_congestion_ops_members_are_at_the_offsets_bpftool_reports()
    {
        var btf = RequireVmlinux();
        Skip.If(BpftoolRawDump.SkipReason is not null, BpftoolRawDump.SkipReason);
        var (size, expected) = BpftoolRawDump.Struct(BpftoolDump.Value, "tcp_congestion_ops");

        var ops = btf.Find<BtfStruct>("tcp_congestion_ops");
        Assert.NotNull(ops);
        Assert.Equal(size, ops!.Size);
        foreach (string member in new[] { "ssthresh", "cong_avoid", "set_state", "undo_cwnd", "name", "owner", "init", "release" })
        {
            Assert.True(btf.TryFindMember(ops, member, out var loc), member);
            Assert.Equal(expected[member], (uint)loc.BitOffset);
            Assert.Equal(expected[member] / 8, (uint)loc.ByteOffset);
        }
        Assert.Equal(expected.Count, ops.Members.Count);
        // Function pointers: 8 bytes each, 8-aligned; name is char[16].
        Assert.Equal(8ul, btf.SizeOf(ops.FindMember("ssthresh")!.TypeId));
        Assert.Equal(16ul, btf.SizeOf(ops.FindMember("name")!.TypeId));
    }

    [SkippableFact]
    public void Struct_ops_value_type_is_256_bytes_with_the_ops_at_byte_64()
    {
        var btf = RequireVmlinux();
        var value = btf.Find<BtfStruct>("bpf_struct_ops_tcp_congestion_ops");
        Assert.NotNull(value);
        Assert.Equal(256u, value!.Size);
        var data = value.FindMember("data")!;
        Assert.Equal(64u, data.ByteOffset);
        Assert.Same(btf.Find<BtfStruct>("tcp_congestion_ops"), btf.ResolveModifiers(data.TypeId));
        Assert.Equal(256ul, btf.SizeOf(value.Id));
        Assert.Equal(8u, btf.AlignOf(value.Id));
    }

    [SkippableFact]
    public void Every_type_formats_exactly_as_bpftool_dumps_it()
    {
        var btf = RequireVmlinux();
        Skip.If(BpftoolRawDump.SkipReason is not null, BpftoolRawDump.SkipReason);
        string ours = BtfRawFormatter.Format(btf);
        string theirs = BpftoolDump.Value;
        if (ours == theirs) return;
        var a = ours.Split('\n');
        var b = theirs.Split('\n');
        int i = 0;
        while (i < Math.Min(a.Length, b.Length) && a[i] == b[i]) i++;
        Assert.Fail($"first difference at line {i + 1}:\n  ours:    {(i < a.Length ? a[i] : "<end>")}\n  bpftool: {(i < b.Length ? b[i] : "<end>")}");
    }

    [SkippableFact]
    public void Vmlinux_written_back_and_reread_has_the_same_types()
    {
        var btf = RequireVmlinux();
        byte[] written = BtfWriter.Write(btf);
        var reread = BtfReader.Read(written);
        Assert.Equal(btf.Types.Count, reread.Types.Count);
        Assert.Equal(BtfRawFormatter.Format(btf), BtfRawFormatter.Format(reread));
        // The kernel's string table is deduplicated already: ours must not be larger.
        Assert.True(reread.Strings!.Length <= btf.Strings!.Length, $"{reread.Strings.Length} > {btf.Strings.Length}");
    }

    [SkippableFact]
    public void Lookups_by_name_and_kind_find_kernel_types()
    {
        var btf = RequireVmlinux();
        var sock = btf.Find("sock", BtfKind.Struct);
        Assert.NotNull(sock);
        Assert.Equal(sock, btf.GetType(btf.FindId("sock", BtfKind.Struct)));
        Assert.Null(btf.Find("sock", BtfKind.Union));
        Assert.NotNull(btf.Find<BtfFunc>("tcp_reno_ssthresh"));
        Assert.Contains(btf.FindAll("u32"), t => t.Kind == BtfKind.Typedef);
        Assert.Equal(4ul, btf.SizeOf(btf.FindId("u32", BtfKind.Typedef)));
        // snd_cwnd lives in tcp_sock itself; sk_state in the anonymous union/struct of sock_common.
        var tcpSock = btf.Find<BtfStruct>("tcp_sock")!;
        Assert.True(btf.TryFindMember(tcpSock, "snd_cwnd", out var cwnd));
        Assert.Equal(4ul, btf.SizeOf(cwnd.Member.TypeId));
        var common = btf.Find<BtfStruct>("sock_common")!;
        Assert.True(btf.TryFindMember(common, "skc_family", out var family));
        // skc_family sits directly in sock_common; skc_daddr inside an anonymous union/struct: the path goes through it.
        Assert.Single(family.Path);
        Assert.Equal("skc_family", common.Members[family.Path[0]].Name);
        Assert.True(btf.TryFindMember(common, "skc_daddr", out var daddr));
        Assert.True(daddr.Path.Count >= 2);
        Assert.True(common.Members[daddr.Path[0]].IsAnonymous);
    }

    [SkippableFact]
    public void Corruption_deep_inside_vmlinux_is_reported_at_its_offset()
    {
        var btf = RequireVmlinux();
        byte[] original = File.ReadAllBytes(VmlinuxPath);
        var random = new Random(5);
        for (int round = 0; round < 6; round++)
        {
            var victim = btf.Types[random.Next(btf.Types.Count)];
            int at = (int)victim.SourceOffset;
            byte[] bad = (byte[])original.Clone();
            bad[at + 7] = (byte)((bad[at + 7] & 0xe0) | 0x1f); // kind 31
            var e = Assert.Throws<BpfFormatException>(() => BtfReader.Read(bad));
            Assert.Equal(at + 4, e.Offset);

            var composite = btf.Types.OfType<BtfComposite>().Skip(random.Next(1000)).First(c => c.Members.Count > 0);
            int memberTypeAt = (int)composite.SourceOffset + 12 + 4;
            bad = (byte[])original.Clone();
            bad[memberTypeAt] = 0xff;
            bad[memberTypeAt + 1] = 0xff;
            bad[memberTypeAt + 2] = 0x0f;
            e = Assert.Throws<BpfFormatException>(() => BtfReader.Read(bad));
            Assert.Equal(memberTypeAt, e.Offset);
            Assert.Contains("type id", e.Expected);
        }
        // Cut anywhere: the header's section lengths no longer fit.
        for (int round = 0; round < 6; round++)
        {
            int cut = random.Next(original.Length);
            Assert.Throws<BpfFormatException>(() => BtfReader.Read(original.Take(cut).ToArray()));
        }
    }

    [SkippableFact]
    public void Module_split_BTF_reads_on_top_of_vmlinux()
    {
        var btf = RequireVmlinux();
        var module = Directory.Exists("/sys/kernel/btf")
            ? Directory.GetFiles("/sys/kernel/btf").FirstOrDefault(f => Path.GetFileName(f) != "vmlinux")
            : null;
        Skip.If(module is null, "no module BTF under /sys/kernel/btf (only vmlinux): split BTF is covered by Split_BTF_continues_the_base_ids_and_strings");
        var split = BtfReader.Read(File.ReadAllBytes(module!), btf);
        Assert.Equal(btf.LastId + 1, split.FirstId);
        Assert.NotEmpty(split.Types);
        if (BpftoolRawDump.SkipReason is null)
            Assert.Equal(BpftoolRawDump.Dump(module!, VmlinuxPath), BtfRawFormatter.Format(split));
    }
}
