using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// The kernel-independent BTF fix-ups libbpf makes before BTF_LOAD: clang leaves DATASEC sizes
/// and variable offsets for the linker, so they are taken from the ELF sections and symbols; the
/// .ksyms/.kconfig DATASECs list extern FUNCs and extern VARs, which the kernel refuses in a
/// DATASEC (nor extern FUNC linkage), so each entry is pointed at an allocated int VAR of the
/// same name and the FUNC becomes static.
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
                    if (t is BtfFunc || t is BtfVar { Linkage: BtfVarLinkage.GlobalExtern })
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
            var section = spec.Elf.FindSection(ds.Name);
            if (section is null) continue;
            ds.Size = (uint)section.Size;
            var symbols = spec.Elf.SymbolsIn(section.Index).Where(s => s.Type == ElfSymbolType.Object).ToList();
            foreach (var v in ds.Variables)
            {
                if (btf[v.TypeId] is not BtfVar var) continue;
                var sym = symbols.FirstOrDefault(s => s.Name == var.Name);
                if (sym is not null) v.Offset = (uint)sym.Value;
                // Static variables in a DATASEC are fine for the kernel; extern ones are not.
                if (var.Linkage == BtfVarLinkage.GlobalExtern) var.Linkage = BtfVarLinkage.GlobalAllocated;
            }
        }
    }
}
