using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// The kernel-independent BTF fix-ups libbpf makes before BTF_LOAD: clang leaves DATASEC sizes
/// and variable offsets for the linker, so they are taken from the object model's sections and
/// variables (what libbpf reads from ELF section sizes and symbols); the
/// .ksyms/.kconfig DATASECs list extern FUNCs and extern VARs, which the kernel refuses (nor
/// extern FUNC linkage), so each extern VAR becomes an allocated int, each FUNC entry is pointed
/// at an allocated int VAR of the same name and the FUNC becomes static.
/// </summary>
internal static class BtfFixups
{
    public static void Apply(ObjectSpec spec)
    {
        var btf = spec.Btf;
        if (btf is null) return;
        uint intId = 0;
        foreach (var ds in btf.Types.OfType<BtfDatasec>().ToList())
        {
            bool externs = ds.Name is ".ksyms" or ".kconfig";
            if (externs)
            {
                if (intId == 0) intId = btf.AddInt("int", 4, BtfIntEncoding.Signed).Id;
                uint off = 0;
                foreach (var v in ds.Variables)
                {
                    var t = btf[v.TypeId];
                    if (t is BtfVar { Linkage: BtfVarLinkage.GlobalExtern } externVar)
                    {
                        // As libbpf: the extern VAR itself becomes an allocated int (the kernel refuses extern
                        // linkage anywhere in the BTF, not only inside a DATASEC: "Linkage not supported").
                        externVar.Linkage = BtfVarLinkage.GlobalAllocated;
                        externVar.TypeId = intId;
                    }
                    else if (t is BtfFunc)
                    {
                        // The kernel refuses FUNCs with extern linkage ("Invalid func linkage").
                        if (t is BtfFunc { Linkage: BtfFuncLinkage.Extern } f)
                        {
                            f.Linkage = BtfFuncLinkage.Static;
                            // ...and, for a non-extern FUNC, unnamed parameters ("Invalid arg#1"): clang leaves extern prototypes unnamed.
                            if (btf[f.TypeId] is BtfFuncProto proto)
                                for (int i = 0; i < proto.Parameters.Count; i++)
                                    if (proto.Parameters[i].IsAnonymous && proto.Parameters[i].TypeId != 0) proto.Parameters[i].Name = "arg" + i;
                        }
                        var dummy = btf.AddVar(t.Name, intId, BtfVarLinkage.GlobalAllocated);
                        v.TypeId = dummy.Id;
                    }
                    v.Offset = off;
                    v.Size = 4;
                    off += 4;
                }
                ds.Size = off;
                continue;
            }
            var layout = Layout(spec.ObjectFile, ds.Name);
            if (layout is null)
            {
                LayOutUndescribed(btf, ds);
                continue;
            }
            ds.Size = (uint)layout.Value.Size;
            foreach (var v in ds.Variables)
            {
                if (btf[v.TypeId] is not BtfVar var) continue;
                if (layout.Value.Offsets.TryGetValue(var.Name, out ulong offset)) v.Offset = (uint)offset;
                // Static variables in a DATASEC are fine for the kernel; extern ones are not.
                if (var.Linkage == BtfVarLinkage.GlobalExtern) var.Linkage = BtfVarLinkage.GlobalAllocated;
            }
        }
    }

    /// <summary>A section's size and its variables' offsets, from the model: data sections, .maps, .struct_ops[.link].</summary>
    private static (ulong Size, Dictionary<string, ulong> Offsets)? Layout(BpfObjectFile file, string section)
    {
        var offsets = new Dictionary<string, ulong>(System.StringComparer.Ordinal);
        if (file.FindDataSection(section) is { } data)
        {
            foreach (var v in data.Variables) offsets[v.Name] = v.Offset;
            return (data.Size, offsets);
        }
        ulong end = 0;
        if (section == BpfSectionNames.Maps)
        {
            foreach (var m in file.Maps.Where(m => m.SectionName == section))
            {
                offsets[m.Name] = m.SectionOffset;
                end = System.Math.Max(end, m.SectionOffset + m.DefinitionSize);
            }
            return (end, offsets);
        }
        if (BpfSectionNames.IsStructOps(section))
        {
            foreach (var s in file.StructOps.Where(s => s.SectionName == section))
            {
                offsets[s.Name] = s.SectionOffset;
                end = System.Math.Max(end, s.SectionOffset + (ulong)s.Data.Length);
            }
            return (end, offsets);
        }
        return null;
    }

    /// <summary>
    /// A DATASEC for a section the model does not describe by variables (the license string's): keep
    /// the recorded offsets when they are already a valid layout, else place the variables one after
    /// another (clang records every offset as 0); the size covers them all. Nothing refers to these
    /// variables, so only the kernel's DATASEC checks (sorted, non-overlapping, within size) matter.
    /// </summary>
    private static void LayOutUndescribed(Btf btf, BtfDatasec ds)
    {
        ulong previousEnd = 0;
        bool valid = true;
        foreach (var v in ds.Variables)
        {
            if (v.Offset < previousEnd) valid = false;
            previousEnd = (ulong)v.Offset + v.Size;
        }
        ulong end = 0;
        foreach (var v in ds.Variables)
        {
            if (!valid) v.Offset = (uint)end;
            end = System.Math.Max(end, (ulong)v.Offset + v.Size);
            if (btf[v.TypeId] is BtfVar { Linkage: BtfVarLinkage.GlobalExtern } var) var.Linkage = BtfVarLinkage.GlobalAllocated;
        }
        ds.Size = (uint)System.Math.Max(ds.Size, end);
    }
}
