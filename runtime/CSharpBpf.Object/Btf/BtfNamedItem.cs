namespace CSharpBpf.Object.Btf;

/// <summary>
/// Anything in BTF that carries a name (types, members, enum values, parameters). A name read
/// from a file stays an offset into the string table until first asked for: reading vmlinux
/// BTF then costs no string allocation for the many names nobody looks at.
/// </summary>
public abstract class BtfNamedItem
{
    private string? _name;
    private BtfStringTable? _strings;
    private uint _nameOffset;

    protected BtfNamedItem(string? name) => _name = name ?? "";

    /// <summary>The name; "" when anonymous.</summary>
    public string Name
    {
        get => _name ??= _strings!.GetString(_nameOffset);
        set
        {
            _name = value ?? "";
            _strings = null;
        }
    }

    /// <summary>True when the name is empty (anonymous member, pointer, modifier, ...).</summary>
    public bool IsAnonymous => _name is null ? _nameOffset == 0 : _name.Length == 0;

    internal void SetLazyName(BtfStringTable strings, uint nameOffset)
    {
        _name = null;
        _strings = strings;
        _nameOffset = nameOffset;
    }
}
