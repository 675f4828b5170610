namespace CSharpBpf;

/// <summary>An XDP program's verdict (enum xdp_action).</summary>
public enum XdpAction
{
    Aborted = 0,
    Drop = 1,
    Pass = 2,
    Tx = 3,
    Redirect = 4,
}

/// <summary>Traffic-control verdicts (TC_ACT_*), the return of <see cref="SchedClsAttribute"/> programs.</summary>
public enum TcAction
{
    Unspec = -1,
    Ok = 0,
    Reclassify = 1,
    Shot = 2,
    Pipe = 3,
    Stolen = 4,
    Queued = 5,
    Repeat = 6,
    Redirect = 7,
}
