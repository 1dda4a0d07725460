import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { DirectoryService } from './directory.service';
import { MemberView, toMemberView } from './dto/directory.dto';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @Roles('member')
  @ApiOperation({ summary: "The calling member's own record (member keys only)" })
  async me(@CurrentPrincipal() caller: Principal): Promise<MemberView> {
    // A member key always carries its site and member (api_keys_member_scope_check).
    return toMemberView(await this.directory.getMember(caller.siteId!, caller.memberId!));
  }
}
