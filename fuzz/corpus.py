"""Seed requests: real envelopes for every kind of function the gateway serves."""

from __future__ import annotations

LOGIN = ("<login><userid>ws_user</userid><companyid>{company}</companyid><password>ws_user_pw</password></login>")

FUNCTIONS = [
    "<getAPISession/>",
    "<readByQuery><object>VENDOR</object><fields>VENDORID,NAME,STATUS</fields>"
    "<query>STATUS = 'T' AND NAME LIKE 'A%' OR VENDORID IN ('V-0001', 'V-0002')</query><pagesize>5</pagesize></readByQuery>",
    "<readByQuery><object>APBILL</object><fields>*</fields><query>WHENCREATED &gt;= '01/01/2026' AND TOTALDUE &gt; 10"
    " AND rownum &lt; 5</query></readByQuery>",
    "<read><object>APBILL</object><keys>1,2,3</keys><fields>*</fields></read>",
    "<readByName><object>CUSTOMER</object><keys>C-0001,C-0002</keys></readByName>",
    "<readMore><object>VENDOR</object></readMore>",
    "<query><object>ARINVOICE</object><select><field>RECORDNO</field><field>CUSTOMER.NAME</field><sum>TOTALDUE</sum>"
    "</select><filter><and><greaterthanorequalto><field>WHENCREATED</field><value>01/01/2026</value>"
    "</greaterthanorequalto><in><field>STATE</field><value>Posted</value><value>Paid</value></in></and></filter>"
    "<orderby><order><field>RECORDNO</field><descending/></order></orderby><pagesize>3</pagesize></query>",
    "<inspect detail=\"1\"><object>VENDOR</object></inspect>",
    "<lookup><object>APBILL</object></lookup>",
    "<create><VENDOR><VENDORID>FZ-1</VENDORID><NAME>Fuzz &amp; Co</NAME><DISPLAYCONTACT><EMAIL1>a@b.example</EMAIL1>"
    "</DISPLAYCONTACT></VENDOR></create>",
    "<update><VENDOR><VENDORID>V-0001</VENDORID><NAME>Renamed</NAME></VENDOR></update>",
    "<create><APBILL><VENDORID>V-0001</VENDORID><RECORDID>FZ-B1</RECORDID><WHENCREATED>03/02/2026</WHENCREATED>"
    "<WHENDUE>04/01/2026</WHENDUE><APBILLITEMS><APBILLITEM><ACCOUNTNO>6220</ACCOUNTNO><TRX_AMOUNT>10.50</TRX_AMOUNT>"
    "<DEPARTMENTID>D100</DEPARTMENTID></APBILLITEM></APBILLITEMS></APBILL></create>",
    "<create_bill><vendorid>V-0002</vendorid><datecreated><year>2026</year><month>03</month><day>02</day></datecreated>"
    "<datedue><year>2026</year><month>04</month><day>01</day></datedue><billno>FZ-LB1</billno><billitems><lineitem>"
    "<glaccountno>6220</glaccountno><amount>12</amount></lineitem></billitems></create_bill>",
    "<create_invoice><customerid>C-0001</customerid><datecreated><year>2026</year><month>03</month><day>02</day>"
    "</datecreated><termname>N30</termname><invoiceno>FZ-I1</invoiceno><invoiceitems><lineitem><glaccountno>4000"
    "</glaccountno><amount>100</amount></lineitem></invoiceitems></create_invoice>",
    "<create_arpayment><customerid>C-0001</customerid><paymentamount>10</paymentamount><bankaccountid>BOA"
    "</bankaccountid><datereceived><year>2026</year><month>03</month><day>05</day></datereceived><paymentmethod>EFT"
    "</paymentmethod><arpaymentitem><invoicekey>1</invoicekey><amount>10</amount></arpaymentitem></create_arpayment>",
    "<delete><object>VENDOR</object><keys>999999</keys></delete>",
    "<getDimensions/>",
]


def envelope(function: str, *, company: str = "DEMO", controlid: str = "f1", transaction: bool = False) -> bytes:
    tx = ' transaction="true"' if transaction else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><request><control><senderid>mock-sender</senderid>'
            f"<password>mock-sender-pw</password><controlid>fuzz</controlid><uniqueid>false</uniqueid>"
            f"<dtdversion>3.0</dtdversion></control><operation{tx}><authentication>{LOGIN.format(company=company)}"
            f'</authentication><content><function controlid="{controlid}">{function}</function></content>'
            f"</operation></request>").encode()


def seeds(company: str = "DEMO") -> list[bytes]:
    out = [envelope(f, company=company) for f in FUNCTIONS]
    out.append(envelope("".join(FUNCTIONS[:3]).replace("</readByQuery><readByQuery>", "</readByQuery></function>"
                                                         '<function controlid="f2"><readByQuery>'), company=company))
    out.append(envelope(FUNCTIONS[9] + "</function><function controlid=\"f2\">" + FUNCTIONS[11],
                        company=company, transaction=True))
    return out
