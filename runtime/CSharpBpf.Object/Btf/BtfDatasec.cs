using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>One btf_var_secinfo: a VAR (or extern FUNC) placed at <see cref="Offset"/> in a DATASEC.</summary>
public sealed class BtfVarSecInfo
{
    public BtfVarSecInfo(uint typeId, uint offset, uint size)
    {
        TypeId = typeId;
        Offset = offset;
        Size = size;
    }

    public uint TypeId { get; set; }
    public uint Offset { get; set; }
    public uint Size { get; set; }

    public override string ToString() => $"type_id={TypeId} offset={Offset} size={Size}";
}

/// <summary>DATASEC: an ELF data section (.data, .bss, .maps, .ksyms, ...) and the variables in it.</summary>
public sealed class BtfDatasec : BtfType
{
    public BtfDatasec(string name, uint size) : base(name) => Size = size;

    public override BtfKind Kind => BtfKind.Datasec;
    public uint Size { get; set; }

    public List<BtfVarSecInfo> Variables { get; } = new();

    /// <summary>Adds a variable placement (builder API).</summary>
    public BtfVarSecInfo AddVariable(uint varTypeId, uint offset, uint size)
    {
        var v = new BtfVarSecInfo(varTypeId, offset, size);
        Variables.Add(v);
        return v;
    }
}
