using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;
using Xunit;

namespace CSharpBpf.Linux.Tests;

public sealed class SmallPartsTests
{
    [Theory]
    [InlineData("sockops", BpfProgramType.SockOps, BpfAttachType.CgroupSockOps, null)]
    [InlineData("cgroup_skb/egress", BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetEgress, null)]
    [InlineData("cgroup/sysctl", BpfProgramType.CgroupSysctl, BpfAttachType.CgroupSysctl, null)]
    [InlineData("cgroup/getsockopt", BpfProgramType.CgroupSockopt, BpfAttachType.CgroupGetsockopt, null)]
    [InlineData("xdp", BpfProgramType.Xdp, BpfAttachType.Xdp, null)]
    [InlineData("raw_tp/sys_enter", BpfProgramType.RawTracepoint, BpfAttachType.None, "sys_enter")]
    [InlineData("tp_btf/sys_enter", BpfProgramType.Tracing, BpfAttachType.TraceRawTp, "sys_enter")]
    [InlineData("fentry/do_unlinkat", BpfProgramType.Tracing, BpfAttachType.TraceFentry, "do_unlinkat")]
    [InlineData("fexit/do_unlinkat", BpfProgramType.Tracing, BpfAttachType.TraceFexit, "do_unlinkat")]
    [InlineData("freplace/pick", BpfProgramType.Ext, BpfAttachType.None, "pick")]
    [InlineData("struct_ops/cc_init", BpfProgramType.StructOps, BpfAttachType.None, null)]
    public void Section_names_map_as_libbpf_maps_them(string section, BpfProgramType type, BpfAttachType attach, string? target)
    {
        var k = SectionKind.Parse(section)!;
        Assert.Equal(type, k.Type);
        Assert.Equal(attach, k.ExpectedAttachType);
        Assert.Equal(target, k.AttachTo);
        Assert.Null(SectionKind.Parse("no_such_section"));
    }

    [Fact]
    public void Verifier_log_gets_a_source_line_where_the_line_changes()
    {
        var log = "0: (b7) r0 = 0\n1: (79) r0 = *(u64 *)(r2 +0)\nR2 !read_ok\nprocessed 2 insns";
        var lines = new[] { new SourceLine(0, "A.cs", 3, 1, "var x = 0;"), new SourceLine(1, "A.cs", 4, 1, "x = *p;") };
        var annotated = VerifierLogAnnotator.Annotate(log, lines);
        Assert.Equal("; A.cs:3: var x = 0;\n0: (b7) r0 = 0\n; A.cs:4: x = *p;\n1: (79) r0 = *(u64 *)(r2 +0)\nR2 !read_ok\nprocessed 2 insns", annotated);
    }

    [Fact]
    public void Errno_names_and_command_names()
    {
        Assert.Equal("EPERM", Errno.Name(1));
        Assert.Equal("Operation not permitted", Errno.Describe(1));
        Assert.Equal("BPF_MAP_CREATE", BpfSyscall.CommandName(BpfCommand.MapCreate));
        Assert.Equal("BPF_RAW_TRACEPOINT_OPEN", BpfSyscall.CommandName(BpfCommand.RawTracepointOpen));
        var e = new BpfSyscallException("BPF_PROG_ATTACH", 1, "program 'p'");
        Assert.Equal("BPF_PROG_ATTACH failed with EPERM (Operation not permitted) for program 'p'", e.Message);
    }

    [Fact]
    public void Cpu_lists_and_internal_map_names()
    {
        Assert.Equal(4, PossibleCpus.Parse("0-3\n"));
        Assert.Equal(9, PossibleCpus.Parse("0-3,5,7-8"));
        Assert.Equal("syscall_.rodata", MapDefinitionBuilder.InternalMapName("syscall_count", ".rodata"));
    }
}

public sealed class BadObjectTests
{
    [Fact]
    public void Legacy_maps_section_is_refused_with_a_clear_error()
    {
        var ex = Assert.Throws<CSharpBpf.Object.BpfFormatException>(() => ObjectSpec.Read(CSharpBpf.TestSupport.RepoPaths.Fixture("legacy_maps.bpf.o")));
        Assert.Contains("legacy 'maps' section", ex.Message);
    }

    [Fact]
    public void Not_an_elf_file_is_a_format_error()
    {
        var ex = Assert.Throws<CSharpBpf.Object.BpfFormatException>(() => ObjectSpec.Read(new byte[] { 1, 2, 3, 4 }, "junk"));
        Assert.Contains("ELF", ex.Message);
    }

    [Fact]
    public void Unknown_program_section_is_named()
    {
        // Rename the "xdp" section of a real object to something libbpf does not know. clang stores
        // "xdp" as the tail of ".relxdp" in .strtab, so renaming there renames both sections.
        var bytes = System.IO.File.ReadAllBytes(Fixtures.Linux("xdp_redirect.bpf.o"));
        var name = System.Text.Encoding.ASCII.GetBytes(".relxdp\0");
        int at = IndexOf(bytes, name);
        Assert.True(at > 0);
        bytes[at + 4] = (byte)'q';
        var ex = Assert.Throws<CSharpBpf.Object.BpfFormatException>(() => ObjectSpec.Read(bytes, "renamed"));
        Assert.Contains("'qdp' is not one", ex.Message);
    }

    private static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
