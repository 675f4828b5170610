using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Cli.Disasm;

/// <summary>A symbol as llvm-objdump sees it when labelling code: address, name, ELF type.</summary>
internal readonly record struct ObjdumpSymbol(ulong Address, string Name, ElfSymbolType Type);

/// <summary>
/// The symbols llvm-objdump uses for headers (<c>0000000000000000 &lt;prog&gt;:</c>) and branch
/// targets (<c>&lt;prog+0x48&gt;</c>), chosen and ordered as llvm-objdump-22 does: per section, sorted by
/// (address, name, type) with a stable sort; unnamed, STT_SECTION and STT_FILE symbols left out;
/// undefined and absolute symbols kept apart as a last resort for targets.
/// </summary>
internal sealed class ObjdumpSymbols
{
    readonly Dictionary<int, List<ObjdumpSymbol>> _bySection = new();

    public ObjdumpSymbols(ElfFile elf)
    {
        var absolute = new List<ObjdumpSymbol>();
        foreach (var s in elf.Symbols)
        {
            if (s.Index == 0 || s.Name.Length == 0) continue;
            if (s.Type is ElfSymbolType.Section or ElfSymbolType.File) continue;
            var info = new ObjdumpSymbol(s.Value, s.Name, s.Type);
            bool inSection = s.SectionIndex != ElfConstants.SectionUndefined && s.SectionIndex < ElfConstants.SectionLoReserve
                             && s.SectionIndex < elf.Sections.Count;
            if (inSection)
            {
                if (!_bySection.TryGetValue(s.SectionIndex, out var list)) _bySection[s.SectionIndex] = list = new List<ObjdumpSymbol>();
                list.Add(info);
            }
            else
                absolute.Add(info);
        }
        foreach (var key in _bySection.Keys.ToList())
            _bySection[key] = StableSort(_bySection[key]);
        Absolute = StableSort(absolute);
    }

    /// <summary>Undefined (extern) and absolute symbols, sorted.</summary>
    public IReadOnlyList<ObjdumpSymbol> Absolute { get; }

    /// <summary>
    /// The sorted symbols of a section, plus the stand-in llvm adds when nothing is defined at the
    /// section start: a FUNC symbol named after the section.
    /// </summary>
    public List<ObjdumpSymbol> ForSection(ElfSection section)
    {
        var list = _bySection.TryGetValue(section.Index, out var found) ? new List<ObjdumpSymbol>(found) : new List<ObjdumpSymbol>();
        if (!list.Any(s => s.Address == section.Address))
        {
            var dummy = new ObjdumpSymbol(section.Address, section.Name, section.IsExecutable ? ElfSymbolType.Func : ElfSymbolType.Object);
            int at = 0;
            while (at < list.Count && Compare(list[at], dummy) < 0) at++;
            list.Insert(at, dummy);
        }
        return list;
    }

    /// <summary>
    /// The label llvm prints after a jump: the last symbol at or before the target in the section's
    /// list, else among the absolute ones; " &lt;name&gt;" or " &lt;name+0xdisp&gt;", or "" when none.
    /// </summary>
    public string TargetLabel(IReadOnlyList<ObjdumpSymbol> sectionSymbols, ulong target)
    {
        var sym = LastAtOrBefore(sectionSymbols, target) ?? LastAtOrBefore(Absolute, target);
        if (sym is null) return "";
        ulong disp = target - sym.Value.Address;
        return disp == 0 ? $" <{sym.Value.Name}>" : $" <{sym.Value.Name}+0x{disp:x}>";
    }

    static ObjdumpSymbol? LastAtOrBefore(IReadOnlyList<ObjdumpSymbol> sorted, ulong target)
    {
        ObjdumpSymbol? best = null;
        foreach (var s in sorted)
        {
            if (s.Address > target) break;
            best = s;
        }
        return best;
    }

    static List<ObjdumpSymbol> StableSort(List<ObjdumpSymbol> list) =>
        list.Select((s, i) => (s, i)).OrderBy(p => p.s, Comparer<ObjdumpSymbol>.Create(Compare)).ThenBy(p => p.i).Select(p => p.s).ToList();

    /// <summary>llvm's SymbolInfoTy order for ELF: address, then name (bytewise), then type.</summary>
    public static int Compare(ObjdumpSymbol a, ObjdumpSymbol b)
    {
        int c = a.Address.CompareTo(b.Address);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : ((byte)a.Type).CompareTo((byte)b.Type);
    }
}
