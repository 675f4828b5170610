using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using Xunit;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>
/// Every program section of every fixture against llvm-objdump-22's reading (committed text):
/// function labels, instruction boundaries (an LD_IMM64 takes two slots), ELF relocations, and
/// every CO-RE record of .BTF.ext with its kind, type id, access string and the field path
/// that access string names in our BTF model.
/// </summary>
public class ObjdumpFactsTests
{
    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Program_sections_match_llvm_objdump(string fixture)
    {
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        var dump = ObjdumpText.Parse(FixtureFiles.Expected(fixture, "objdump"));
        var nonEmpty = obj.ProgramSections.Where(s => s.Instructions.Count > 0).ToList();
        Assert.Equal(dump.Sections.Keys.OrderBy(x => x), nonEmpty.Select(s => s.Name).OrderBy(x => x));
        foreach (var s in nonEmpty)
        {
            var d = dump.Sections[s.Name];
            Assert.Equal(d.Labels.Select(l => (l.Offset, l.Name)), s.Functions.Select(f => ((ulong)f.InstructionOffset * 8, f.Name)));
            Assert.Equal(d.InstructionIndices, InstructionStarts(s));
            Assert.Equal(d.Relocations.Select(r => (r.Offset, r.Type, r.Symbol)),
                s.Relocations.Select(r => ((ulong)r.InstructionIndex * 8, r.ElfType.ToString(), r.SymbolName)));
        }
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Every_CO_RE_record_matches_llvm_objdump(string fixture)
    {
        var obj = BpfObjectFile.Read(FixtureFiles.Bytes(fixture));
        var dump = ObjdumpText.Parse(FixtureFiles.Expected(fixture, "objdump"));
        int expectedTotal = dump.Sections.Values.Sum(s => s.CoreRelos.Count);
        int checkedTotal = 0;
        foreach (var sec in obj.BtfExt?.CoreRelos ?? new List<BtfExtSection<BtfCoreRelo>>())
        {
            var d = dump.Sections[sec.SectionName].CoreRelos;
            Assert.Equal(d.Count, sec.Records.Count);
            for (int i = 0; i < d.Count; i++)
            {
                var ours = sec.Records[i];
                var theirs = d[i];
                string where = $"{fixture} {sec.SectionName} CO-RE #{i}";
                Assert.True(theirs.Offset == ours.InsnOffset, where + $": offset {ours.InsnOffset}");
                Assert.True(theirs.Kind == LlvmKindName(ours.Kind), where + $": kind {ours.Kind}");
                Assert.True(theirs.TypeId == ours.TypeId, where + $": type {ours.TypeId}");
                if (theirs.Access.Length > 0)
                {
                    Assert.True(theirs.Access == ours.AccessString, where + $": access {ours.AccessString}");
                    Assert.True(theirs.Spec == FieldSpec(obj.Btf!, ours), where + $": spec {FieldSpec(obj.Btf!, ours)}");
                }
                else if (ours.Kind is BpfCoreReloKind.EnumvalValue or BpfCoreReloKind.EnumvalExists)
                {
                    var en = (BtfEnum)obj.Btf![ours.TypeId];
                    var v = en.Values[int.Parse(ours.AccessString, CultureInfo.InvariantCulture)];
                    Assert.Equal($"enum {en.Name}::{v.Name} = {v.Value}", theirs.Spec);
                }
                else Assert.Equal($"struct {obj.Btf![ours.TypeId].Name}", theirs.Spec);
                checkedTotal++;
            }
        }
        Assert.Equal(expectedTotal, checkedTotal);
    }

    private static IEnumerable<int> InstructionStarts(BpfProgramSection s)
    {
        for (int i = 0; i < s.Instructions.Count; i++)
        {
            yield return i;
            if (s.Instructions[i].IsWideLoad) i++;
        }
    }

    private static string LlvmKindName(BpfCoreReloKind k) => k switch
    {
        BpfCoreReloKind.FieldByteOffset => "byte_off",
        BpfCoreReloKind.FieldByteSize => "byte_sz",
        BpfCoreReloKind.FieldExists => "field_exists",
        BpfCoreReloKind.FieldSigned => "signed",
        BpfCoreReloKind.FieldLShiftU64 => "lshift_u64",
        BpfCoreReloKind.FieldRShiftU64 => "rshift_u64",
        BpfCoreReloKind.TypeIdLocal => "local_type_id",
        BpfCoreReloKind.TypeIdTarget => "target_type_id",
        BpfCoreReloKind.TypeExists => "type_exists",
        BpfCoreReloKind.TypeSize => "type_size",
        BpfCoreReloKind.EnumvalExists => "enumval_exists",
        BpfCoreReloKind.EnumvalValue => "enumval_value",
        BpfCoreReloKind.TypeMatches => "type_matches",
        _ => k.ToString(),
    };

    /// <summary>"struct tcp_sock::rx_opt.snd_wscale": the access string walked through our BTF.</summary>
    private static string FieldSpec(CSharpBpf.Object.Btf.Btf btf, BtfCoreRelo r)
    {
        var idx = r.AccessString.Split(':').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var root = btf.ResolveModifiers(r.TypeId);
        string kw = root.Kind == BtfKind.Union ? "union" : "struct";
        var path = new List<string>();
        var t = root;
        for (int i = 1; i < idx.Length; i++)
        {
            if (t is BtfArray a)
            {
                path[path.Count - 1] += $"[{idx[i]}]";
                t = btf.ResolveModifiers(a.ElementTypeId);
                continue;
            }
            var m = ((BtfComposite)t).Members[idx[i]];
            path.Add(m.Name.Length == 0 ? $"<anon {idx[i]}>" : m.Name);
            t = btf.ResolveModifiers(m.TypeId);
        }
        string spec = $"{kw} {root.Name}";
        if (idx[0] != 0) spec += $"[{idx[0]}]";
        return path.Count == 0 ? spec : spec + "::" + string.Join(".", path);
    }
}
