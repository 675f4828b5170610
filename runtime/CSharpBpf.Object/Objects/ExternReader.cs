using System;
using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Collects undefined symbols (externs) and matches them with their BTF description in the
/// ".ksyms" / ".kconfig" DATASECs (a FUNC with extern linkage for kfuncs, a VAR for variables).
/// </summary>
internal static class ExternReader
{
    public static List<BpfExtern> ReadAll(ElfFile elf, BtfModel? btf, IReadOnlyList<BpfProgramSection> programs)
    {
        var described = new Dictionary<string, (BtfType Type, string Section)>(StringComparer.Ordinal);
        if (btf is not null)
        {
            foreach (var secName in new[] { BpfSectionNames.Ksyms, BpfSectionNames.Kconfig })
            {
                if (btf.Find(secName, BtfKind.Datasec) is not BtfDatasec ds) continue;
                foreach (var v in ds.Variables)
                    if (BpfObjectReader.TryType(btf, v.TypeId) is { } t && !t.IsAnonymous) described[t.Name] = (t, secName);
            }
        }
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in programs)
            foreach (var r in p.Relocations)
                if (r.Kind == BpfRelocationKind.KfuncCall) called.Add(r.SymbolName);

        var result = new List<BpfExtern>();
        foreach (var sym in elf.Symbols)
        {
            if (sym.Index == 0 || !sym.IsUndefined || sym.Name.Length == 0 || sym.Type == ElfSymbolType.File) continue;
            bool isFunction;
            uint typeId = 0;
            string section = "";
            if (described.TryGetValue(sym.Name, out var d))
            {
                isFunction = d.Type is BtfFunc;
                typeId = d.Type.Id;
                section = d.Section;
            }
            else isFunction = called.Contains(sym.Name);
            result.Add(new BpfExtern(sym.Name, isFunction ? BpfExternKind.Function : BpfExternKind.Variable,
                sym.Binding == ElfSymbolBinding.Weak, typeId, section));
        }
        return result;
    }
}
