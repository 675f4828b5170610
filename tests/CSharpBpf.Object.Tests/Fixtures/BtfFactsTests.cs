using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using Xunit;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// The BTF and BTF.ext a BpfObjectFile carries, against bpftool's dump (committed and, when
/// installed, live) and against the ELF functions and the C sources.
/// </summary>
public class BtfFactsTests
{
    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Every_BTF_type_matches_the_committed_bpftool_dump(string fixture)
    {
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        Assert.Equal(FixtureFiles.Expected(fixture, "btf").TrimEnd('\n'), BtfRawFormatter.Format(obj.Btf!).TrimEnd('\n'));
    }

    [SkippableTheory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Every_BTF_type_matches_a_live_bpftool_dump(string fixture)
    {
        Skip.IfNot(ExternalTool.IsInstalled("bpftool"), "bpftool is not installed");
        var run = ExternalTool.Run("bpftool", "btf", "dump", "file", FixtureFiles.ObjectPath(fixture), "format", "raw");
        Assert.Equal(0, run.ExitCode);
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        Assert.Equal(run.StdOut.TrimEnd('\n'), BtfRawFormatter.Format(obj.Btf!).TrimEnd('\n'));
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Func_info_names_each_function_with_its_linkage(string fixture)
    {
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        foreach (var section in obj.ProgramSections.Where(s => s.Functions.Count > 0))
        {
            var records = obj.BtfExt!.FuncInfos.Single(f => f.SectionName == section.Name).Records;
            Assert.Equal(section.Functions.Select(f => (uint)f.InstructionOffset * 8), records.Select(r => r.InsnOffset));
            for (int i = 0; i < records.Count; i++)
            {
                var func = Assert.IsType<BtfFunc>(obj.Btf![records[i].TypeId]);
                var elfFunc = section.Functions[i];
                Assert.Equal(elfFunc.Name, func.Name);
                Assert.Equal(elfFunc.IsGlobal ? BtfFuncLinkage.Global : BtfFuncLinkage.Static, func.Linkage);
                Assert.IsType<BtfFuncProto>(obj.Btf[func.TypeId]);
            }
        }
        Assert.Equal(obj.ProgramSections.Count(s => s.Functions.Count > 0), obj.BtfExt!.FuncInfos.Count);
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Line_info_starts_each_function_and_quotes_the_source(string fixture)
    {
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        int quoted = 0;
        foreach (var lines in obj.BtfExt!.LineInfos)
        {
            var section = obj.FindProgramSection(lines.SectionName)!;
            var offsets = lines.Records.Select(r => r.InsnOffset).ToList();
            Assert.Equal(offsets.OrderBy(x => x), offsets);
            Assert.All(offsets, o => Assert.True(o % 8 == 0 && o / 8 < section.Instructions.Count));
            // The kernel requires a line_info record at the first instruction of every function.
            Assert.All(section.Functions, f => Assert.Contains((uint)f.InstructionOffset * 8, offsets));
            foreach (var r in lines.Records.Where(r => r.FileName.EndsWith(fixture + ".c", System.StringComparison.Ordinal)))
            {
                Assert.Equal(FixtureFiles.SourceLine(fixture, r.Line).Trim(), r.LineText.Trim());
                quoted++;
            }
        }
        Assert.True(quoted > 0);
    }
}
